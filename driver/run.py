"""One invocation of moh-migrate: the run context resolved once, then the task of its mode, then
report.html. A task tells what happens through RunEvents (the command line shows them) and ends
with an Outcome, or raises RunFailed with one line and an exit code."""
from __future__ import annotations

from driver.config import Config
from driver.events import RunEvents, Watched
from driver.mapping import Mapping
from driver.tasks import dry_run, migrate, report, rollback
from driver.tasks.context import Options, Outcome, RunContext

TASKS = {"dry_run": dry_run.run, "migrate": migrate.run, "incremental": migrate.run, "rollback": rollback.run}


def run(config: Config, mapping: Mapping, options: Options, events: RunEvents | None = None) -> Outcome:
    ctx = RunContext.create(config, mapping, options)
    watched = Watched(events or RunEvents())
    try:
        outcome = TASKS[options.mode](ctx, watched)
    except BaseException as error:  # the page of a failed, refused or interrupted run too
        report.write(ctx, watched, error=error)
        raise
    finally:
        ctx.dbt_process.close()
    report.write(ctx, watched, outcome=outcome)
    return outcome
