"""One invocation of moh-migrate: the run context resolved once, then the task of its mode.
A task tells what happens through RunEvents (the command line shows them) and ends with an
Outcome, or raises RunFailed with one line and an exit code."""
from __future__ import annotations

from driver.config import Config
from driver.events import RunEvents
from driver.mapping import Mapping
from driver.tasks import dry_run, migrate, rollback
from driver.tasks.context import Options, Outcome, RunContext

TASKS = {"dry_run": dry_run.run, "migrate": migrate.run, "rollback": rollback.run}


def run(config: Config, mapping: Mapping, options: Options, events: RunEvents | None = None) -> Outcome:
    ctx = RunContext.create(config, mapping, options)
    return TASKS[options.mode](ctx, events or RunEvents())
