"""Logging for a run: the terminal gets plain lines, migration.log gets them with timestamps.
migration.log grows: each invocation appends its section under a header line (the time in UTC
and the command line), so a dry run's log is still there after the real run. Every record
passes a filter that masks passwords and the UUID secret, and (unless log_pii) the values
MySQL quotes in its error messages ("Duplicate entry 'x@y' for key ...")."""
from __future__ import annotations

import logging
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

LOGGER = "driver"
QUOTED_VALUE = re.compile(r"((?:entry|value|value:|for column)\s+)'[^']*'", re.IGNORECASE)


def scrub_values(text: str) -> str:
    """MySQL error texts quote the offending value; that value may be a name or a phone."""
    return QUOTED_VALUE.sub(r"\1'…'", text)


def scrub_file(path: Path) -> None:
    """The same for a file another program wrote (dbt's log, its run_results.json), in place."""
    scrubbed = path.with_name(path.name + ".scrubbed")
    with path.open(encoding="utf-8", errors="replace") as source, scrubbed.open("w", encoding="utf-8") as out:
        for line in source:
            out.write(scrub_values(line))
    scrubbed.replace(path)


class Redact(logging.Filter):
    def __init__(self, secrets: list[str], log_pii: bool):
        super().__init__()
        self.secrets = sorted((s for s in secrets if s), key=len, reverse=True)
        self.log_pii = log_pii

    def clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text if self.log_pii else scrub_values(text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.clean(record.getMessage())
        record.args = ()
        return True


def setup(log_file: Path | None, level: str, verbose: bool, secrets: list[str], log_pii: bool,
          command: str = "") -> Redact:
    """`command`: the invocation, for the header of its section in the log file."""
    logger = logging.getLogger(LOGGER)
    logger.handlers.clear()
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    redact = Redact(secrets, log_pii)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.INFO)
    console.setFormatter(logging.Formatter("%(message)s"))
    console.addFilter(redact)
    logger.addHandler(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(log_file, mode="a", encoding="utf-8")
        to_file.setLevel(logging.DEBUG if verbose else getattr(logging, level))
        to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
        to_file.addFilter(redact)
        started = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        to_file.stream.write(f"{'' if to_file.stream.tell() == 0 else chr(10)}"
                             f"==== {started} {redact.clean(command)}\n")
        to_file.flush()
        logger.addHandler(to_file)
    return redact


def close() -> None:
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        handler.close()
        logger.removeHandler(handler)
