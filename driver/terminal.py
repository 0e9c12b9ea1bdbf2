"""What a person sees of a run: phase lines, one line per model, failed tests, progress bars
for the copy across servers, and the last line. Used by the command line only (driver/cli.py).

Lines go through logging, so migration.log holds them too, masked by the same filter; the
progress bars are drawn only when stderr is a terminal."""
from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path

import click

from driver.dbt_runner import NodeFinished
from driver.events import RunEvents
from driver.report_html import table_rows, totals
from driver.tasks.context import Outcome

log = logging.getLogger(__name__)


class Terminal(RunEvents):
    HEARTBEAT = 10.0  # seconds of silence in a phase before a line says it is still going

    def __init__(self, stream=sys.stderr, output_dir: Path = Path(".")):
        self.stream = stream
        self.output_dir = output_dir
        self.started = time.monotonic()
        self.bars: dict[str, click.progressbar] = {}
        self.phase: tuple[str, float] | None = None  # the phase running, since when
        self.heard = time.monotonic()
        self.beat: threading.Thread | None = None
        self.stopped = threading.Event()

    def phase_started(self, name: str) -> None:
        log.info("== %s", name)
        self.phase, self.heard = (name, time.monotonic()), time.monotonic()
        if self.beat is None:
            self.beat = threading.Thread(target=self._heartbeat, name="terminal-heartbeat", daemon=True)
            self.beat.start()

    def phase_finished(self, name: str, seconds: float) -> None:
        self.close(stop=False)
        self.phase = None
        log.debug("   %s: %.2fs", name, seconds)

    def _heartbeat(self) -> None:
        """A long phase that says nothing (compiling, a backup, dbt starting) still shows life."""
        while not self.stopped.wait(1.0):
            phase, now = self.phase, time.monotonic()
            if phase and now - self.heard >= self.HEARTBEAT and not self.bars:
                self.heard = now
                log.info("   ... %s: %s", phase[0], duration(now - phase[1]))

    def node_finished(self, node: NodeFinished) -> None:
        self.heard = time.monotonic()
        if not node.is_test:
            log.info("   [%3d/%d] %-40s %s %.1fs", node.index or 0, node.total or 0, node.name, model_outcome(node),
                     node.seconds)
        elif node.status != "pass":
            log.warning("   test %s: %s (%s rows)", node.name, node.status, node.failures)
        else:
            log.debug("   test %s: pass %.2fs", node.name, node.seconds)

    def rows_copied(self, table: str, done: int, total: int) -> None:
        self.heard = time.monotonic()
        if self.stream.isatty():  # a bar per table on a terminal; plain log lines elsewhere
            if table not in self.bars:
                self.bars[table] = click.progressbar(length=total, label=f"   {table:<40}", file=self.stream)
                self.bars[table].__enter__()
            self.bars[table].update(done - self.bars[table].pos)
            if done >= total:
                self.bars.pop(table).__exit__(None, None, None)
        log.debug("   %s: %d/%d rows", table, done, total)

    def item_done(self, what: str, index: int, total: int, name: str) -> None:
        self.heard = time.monotonic()
        log.debug("   %s [%d/%d] %s", what, index, total, name)

    def finished(self, outcome: Outcome) -> None:
        """The end of a run that succeeded: per table what happened, the totals, the elapsed
        time and where the reports are."""
        self.close()
        summary = outcome.summary
        elapsed = time.monotonic() - self.started
        out = self.output_dir
        if outcome.mode == "dry_run":
            for line in summary_lines(summary, None):
                log.info("%s", line)
            log.info("dry run done in %s: nothing was written to either database; see %s, %s, %s, %s",
                     duration(elapsed), out / "report.html", out / "reports" / "migration_plan.json",
                     out / "schema_diff.md", out / "post_migration_checks.sql")
        elif outcome.mode in ("migrate", "incremental"):
            for line in summary_lines(None, summary):
                log.info("%s", line)
            tests = ", ".join(f"{n} {k}" for k, n in summary.get("tests", {}).get("summary", {}).items())
            t = summary.get("totals") or {}
            applied = summary.get("applied_changes")
            if applied is not None:
                changed = {name: c for name, c in applied.items() if any(c.values())}
                log.info("incremental: %s rows inserted, %s updated, %s deleted in %d of %d v2 tables%s",
                         f"{sum(c['inserted'] for c in applied.values()):,}",
                         f"{sum(c['updated'] for c in applied.values()):,}",
                         f"{sum(c['deleted'] for c in applied.values()):,}", len(changed), len(applied),
                         (": " + ", ".join(f"{name} +{c['inserted']} ~{c['updated']} -{c['deleted']}"
                                           for name, c in sorted(changed.items()))) if changed else "")
            log.info("done in %s: %s rows loaded into %s, %s rejected, %s changed; validation passed (%s)",
                     duration(elapsed), t.get("loaded_rows"), outcome.v2_database, t.get("rejected_rows"),
                     t.get("changed_rows"), tests)
            log.info("reports: %s, %s, %s", out / "report.html", out / "validation_report.json",
                     out / "reports" / "exceptions.csv")
        elif outcome.mode == "rollback":
            log.info("rollback done in %s: %s is as it was before run #%s; see %s", duration(elapsed),
                     outcome.v2_database, summary["run_id"], out / "report.html")

    def close(self, stop: bool = True) -> None:
        if stop:
            self.stopped.set()
        for bar in self.bars.values():
            bar.__exit__(None, None, None)
        self.bars.clear()


def model_outcome(node: NodeFinished) -> str:
    """What a model did, in words: dbt says "SUCCESS 0" of a view, which stores no row."""
    if node.status != "success":
        return node.shown or node.status
    rows = node.shown.split()[-1] if node.shown.split()[-1:] and node.shown.split()[-1].isdigit() else None
    if node.materialized == "view":
        return "view"
    if node.materialized == "v2_table" and rows is not None:
        return f"{int(rows):,} rows loaded into v2"
    if rows is not None:
        return f"{int(rows):,} rows"
    return node.shown or "done"


COLUMNS = (("v1 rows", "v1_rows"), ("loaded", "loaded"), ("rejected", "rejected"), ("changed", "changed"),
           ("moved", "moved"), ("added", "added"), ("not carried", "not_carried"))
PLAN_COLUMNS = (("v1 rows", "v1_rows"), ("to load", "plan_load"), ("rejected", "plan_rejected"),
                ("changed", "plan_changed"))


def summary_lines(plan: dict | None, validation: dict | None) -> list[str]:
    """The per-table summary, as pgloader ends a load: the outcome of a run (from its
    validation report) or the plan of a dry run; tables with no row on either side are
    counted, not listed. Pure: the same numbers as validation_report.json and report.html."""
    rows = table_rows(plan, validation)
    columns = COLUMNS if validation else PLAN_COLUMNS
    seconds = ((validation or {}).get("timings_seconds") or {}).get("models") or {}

    def took(table: str) -> str:
        spent = sum(v for k, v in seconds.items() if k.split(".")[-1] in (table, f"int_{table}_checked"))
        return f"{spent:.1f}s" if spent else ""
    shown = [r for r in rows if any(r[key] for _, key in columns)]
    width = max([len("table")] + [len(r["table"]) for r in shown])
    header = f"{'table':<{width}}" + "".join(f"{name:>12}" for name, _ in columns) + ("    time" if validation else "")
    lines = [header, "-" * len(header)]
    for r in shown:
        lines.append(f"{r['table']:<{width}}" + "".join(f"{_n(r[key]):>12}" for _, key in columns)
                     + (f"{took(r['table']):>8}" if validation else ""))
    total = totals(rows)
    lines += ["-" * len(header), f"{'total':<{width}}" + "".join(f"{_n(total[key]):>12}" for _, key in columns)]
    empty = len(rows) - len(shown)
    if empty:
        lines.append(f"({empty} tables hold no row in v1 and load none)")
    if validation:
        lines.append(f"v1 rows + added = loaded + rejected + moved + not carried: {_n(total['left'])} = "
                     f"{_n(total['right'])} ({'balances' if total['balances'] else 'DOES NOT BALANCE'}); "
                     f"{total['tables_reconciled']} of {total['tables_checked']} tables reconcile")
    return lines


def _n(value) -> str:
    return "-" if value is None else f"{value:,}"


def duration(seconds: float) -> str:
    return f"{seconds:.1f}s" if seconds < 120 else f"{int(seconds // 60)} min {seconds % 60:02.0f}s"
