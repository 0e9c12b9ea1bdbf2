"""--history: every run recorded on this v2 (in the spirit of Flyway's info): kind, start, end,
outcome and counts, newest first. Reads the run record only; takes no lock."""
from __future__ import annotations

from driver.config import Config
from driver.connections import connect
from driver.safety.record import RunRecord
from driver.tasks.context import Databases

COLUMNS = ("run", "kind", "started (UTC)", "finished (UTC)", "status", "attempts", "loaded", "rejected",
           "changed", "message")


def runs(config: Config) -> tuple[str, list[dict]]:
    """(the run record's table, its runs newest first)."""
    work = Databases.of(config).work
    conn = connect(config.new, "new", attempts=config.retry_attempts, delay=config.retry_delay_seconds,
                   database=False)
    try:
        return f"{work}.migration_runs", RunRecord(conn, work).history()
    finally:
        conn.close()


def lines(runs: list[dict]) -> list[str]:
    """The runs as a plain-text table (pure)."""
    def when(value) -> str:
        return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"

    def n(value) -> str:
        return "-" if value is None else f"{value:,}"
    cells = [(str(r["run_id"]), r["kind"], when(r["started_at"]), when(r["finished_at"]),
              r["status"] + (f" ({when(r['rolled_back_at'])})" if r.get("rolled_back_at") else ""),
              str(r["attempts"]), n(r["rows_loaded"]), n(r["rows_rejected"]), n(r["rows_changed"]),
              " ".join(str(r["message"] or "").split())[:80]) for r in runs]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(COLUMNS)]
    numeric = {0, 5, 6, 7, 8}

    def row(values) -> str:
        return "  ".join(v.rjust(w) if i in numeric else v.ljust(w)
                         for i, (v, w) in enumerate(zip(values, widths))).rstrip()
    return [row(COLUMNS), row(["-" * w for w in widths])] + [row(c) for c in cells]
