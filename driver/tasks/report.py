"""report.html after every invocation (dry run, run, rollback), also one that failed or was
refused: what this invocation wrote to the output directory, the run record's history of this
v2, and the phases as they happened. Best effort: a page that cannot be written is a warning,
never the reason a run fails."""
from __future__ import annotations

import json
import logging
import resource
from datetime import datetime, timezone
from pathlib import Path

from driver.connections import connect
from driver.errors import EXIT_PREFLIGHT, RunFailed
from driver.events import Watched
from driver.report_html import exceptions_sample, render
from driver.safety.record import RunRecord
from driver.tasks.context import Outcome, RunContext

log = logging.getLogger(__name__)

KINDS = {"dry_run": "dry run", "migrate": "run", "incremental": "incremental", "rollback": "rollback"}
SUCCESS = {"dry_run": "planned", "migrate": "passed", "incremental": "passed", "rollback": "rolled_back"}


def write(ctx: RunContext, watched: Watched, outcome: Outcome | None = None,
          error: BaseException | None = None) -> Path | None:
    """<output-dir>/report.html for this invocation; None when it could not be written."""
    path = ctx.paths.out / "report.html"
    try:
        html = render(gather(ctx, watched, outcome, error))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except Exception as e:  # noqa: BLE001 - the run's own outcome stands
        log.warning("   report.html not written: %s: %s", type(e).__name__, e)
        return None
    log.info("   report.html: %.0f KB", path.stat().st_size / 1024)
    return path


def gather(ctx: RunContext, watched: Watched, outcome: Outcome | None, error: BaseException | None) -> dict:
    """render()'s data. Files of the output directory count only when this invocation wrote
    them (a dry run after a real run shows no outcome), except the plan, which a real run is
    compared against whenever a dry run left one."""
    out, mode = ctx.paths.out, ctx.options.mode

    def fresh(path: Path) -> bool:
        return path.exists() and path.stat().st_mtime >= watched.started_at - 1

    data: dict = {
        "kind": KINDS[mode],
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "v1": ctx.config.old.describe(), "v2": ctx.config.new.describe(),
        "phases": watched.phases, "elapsed_seconds": watched.elapsed(),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    plan, validation = out / "reports" / "migration_plan.json", out / "validation_report.json"
    if (mode == "dry_run" and fresh(plan)) or (mode == "migrate" and plan.exists()):  # a plan is of a full run
        data["plan"] = json.loads(plan.read_text("utf-8"))
        data["root_causes"] = data["plan"].get("root_causes")
    if mode in ("migrate", "incremental") and fresh(validation):
        data["validation"] = json.loads(validation.read_text("utf-8"))
        data["root_causes"] = data["validation"].get("root_causes")
        exceptions = out / "reports" / "exceptions.csv"
        if fresh(exceptions):
            data["exceptions"] = exceptions_sample(exceptions)
    data["status"], data["message"] = status(mode, outcome, error)
    if outcome is not None and mode == "rollback":
        data["run_id"] = outcome.summary.get("run_id")
    data["history"] = history(ctx)
    return data


def status(mode: str, outcome: Outcome | None, error: BaseException | None) -> tuple[str, str]:
    if isinstance(error, KeyboardInterrupt):
        return "interrupted", "interrupted; run the same command again to resume, or --rollback to undo"
    if isinstance(error, RunFailed):
        return ("refused" if error.code == EXIT_PREFLIGHT else "failed"), str(error)
    if error is not None:
        return "failed", f"internal error: {type(error).__name__}"
    if mode == "rollback" and outcome is not None:
        s = outcome.summary
        return SUCCESS[mode], f"restored {s.get('tables')} tables ({s.get('rows')} rows) of run #{s.get('run_id')}"
    return SUCCESS[mode], ""


def history(ctx: RunContext) -> list[dict] | None:
    """The run record of this v2, newest first; None when it cannot be read (a dry run's
    account may not read the work schema)."""
    try:
        conn = connect(ctx.config.new, "new", database=False)
    except Exception:  # noqa: BLE001 - the page says the history is unknown
        return None
    try:
        return RunRecord(conn, ctx.databases.work).history()
    except Exception:  # noqa: BLE001
        return None
    finally:
        conn.close()
