"""moh-migrate run as a user runs it, for the tests: a config.yaml for an environment, the
command (in a subprocess, so exit codes and stderr are real), its last line, and waiting for
something to happen while it runs."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.conftest import TEST_SECRET


def config_for(env, directory: Path, *, user="root", password="", old_db=None, new_db=None, server=None, **extra) -> Path:
    s = env.server
    old_server = server or s

    def url(srv, db):
        return f"mysql+pymysql://{user}:{password}@{srv.host}:{srv.port}/{db}"
    data = {"old_db_url": url(old_server, old_db or env.v1), "new_db_url": url(s, new_db or env.v2),
            "patient_uuid_secret": TEST_SECRET, **extra}
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def command(config: Path, out: Path, *args: str, mapping: str = "mapping.example.yaml") -> list[str]:
    return [sys.executable, "-m", "driver.cli", "--config", str(config), "--mapping", mapping,
            "--output-dir", str(out), *args]


def run_cli(config: Path, *args: str, mapping: str | None = "mapping.example.yaml") -> subprocess.CompletedProcess:
    """moh-migrate in a subprocess; mapping=None leaves --mapping out."""
    return subprocess.run([sys.executable, "-m", "driver.cli", "--config", str(config),
                           *(["--mapping", mapping] if mapping else []), *args], capture_output=True, text=True)


def last_line(result) -> str:
    return result.stderr.strip().splitlines()[-1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def plan_differences(plan: dict, report: dict) -> list[str]:
    """Every table where the dry run's plan and the real run's outcome differ."""
    outcome = {t["table_name"]: t for t in report["tables"]}
    pairs = [("rows_to_load", "loaded_rows"), ("rows_rejected", "rejected_rows"),
             ("rows_loaded_with_changes", "changed_rows"), ("rows_moved", "moved_rows"),
             ("rows_added", "added_rows"), ("rows_not_carried", "not_carried_rows"), ("v1_rows", "v1_rows")]
    found = []
    for table, planned in plan["tables"].items():
        for p, o in pairs:
            if planned[p] != outcome[table][o]:
                found.append(f"{table}.{p}: plan {planned[p]}, outcome {outcome[table][o]}")
    return found
