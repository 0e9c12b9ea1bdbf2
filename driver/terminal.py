"""What a person sees of a run: phase lines, one line per model, failed tests, progress bars
for the copy across servers, and the last line. Used by the command line only (driver/cli.py).

Lines go through logging, so migration.log holds them too, masked by the same filter; the
progress bars are drawn only when stderr is a terminal."""
from __future__ import annotations

import logging
import sys

import click

from driver.dbt_runner import NodeFinished
from driver.events import RunEvents
from driver.tasks.context import Outcome

log = logging.getLogger(__name__)


class Terminal(RunEvents):
    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.bars: dict[str, click.progressbar] = {}

    def phase_started(self, name: str) -> None:
        log.info("== %s", name)

    def phase_finished(self, name: str, seconds: float) -> None:
        self.close()
        log.debug("   %s: %.2fs", name, seconds)

    def node_finished(self, node: NodeFinished) -> None:
        if not node.is_test:
            log.info("   [%3d/%d] %-40s %s %.1fs", node.index or 0, node.total or 0, node.name, node.shown,
                     node.seconds)
        elif node.status != "pass":
            log.warning("   test %s: %s (%s rows)", node.name, node.status, node.failures)
        else:
            log.debug("   test %s: pass %.2fs", node.name, node.seconds)

    def rows_copied(self, table: str, done: int, total: int) -> None:
        if self.stream.isatty():  # a bar per table on a terminal; plain log lines elsewhere
            if table not in self.bars:
                self.bars[table] = click.progressbar(length=total, label=f"   {table:<40}", file=self.stream)
                self.bars[table].__enter__()
            self.bars[table].update(done - self.bars[table].pos)
            if done >= total:
                self.bars.pop(table).__exit__(None, None, None)
        log.debug("   %s: %d/%d rows", table, done, total)

    def item_done(self, what: str, index: int, total: int, name: str) -> None:
        log.debug("   %s [%d/%d] %s", what, index, total, name)

    def finished(self, outcome: Outcome) -> None:
        """The last line of a run that succeeded."""
        self.close()
        summary = outcome.summary
        if outcome.mode == "dry_run":
            log.info("dry run done: schema_diff.md, post_migration_checks.sql, reports/migration_plan.json "
                     "(nothing was written to either database)")
        elif outcome.mode == "migrate":
            tests = ", ".join(f"{n} {k}" for k, n in summary.get("tests", {}).get("summary", {}).items())
            log.info("done: %s rows loaded into %s; validation passed (%s)", summary.get("rows_loaded"),
                     outcome.v2_database, tests)
        elif outcome.mode == "rollback":
            log.info("rollback done: %s is as it was before run #%s", outcome.v2_database, summary["run_id"])

    def close(self) -> None:
        for bar in self.bars.values():
            bar.__exit__(None, None, None)
        self.bars.clear()
