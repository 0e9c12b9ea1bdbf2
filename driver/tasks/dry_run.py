"""--dry-run: what a real run would do, measured with SELECTs only; nothing is written to either
database, and no lock is taken. Leaves schema_diff.md, post_migration_checks.sql and
reports/migration_plan.json."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import sqlglot
import sqlglot.errors

from driver import plan as plans
from driver import reports
from driver.connections import RunConnections, missing_privileges
from driver.dbt_runner import DbtProcess
from driver.errors import RunFailed
from driver.events import Phases, RunEvents
from driver.tasks import preflight
from driver.tasks.context import Outcome, RunContext

log = logging.getLogger(__name__)


def run(ctx: RunContext, events: RunEvents) -> Outcome:
    phases = Phases(events)
    with RunConnections(ctx.config, lock=False) as conns:
        preflight.connect(ctx, conns, phases)
        preflight.check_privileges_and_tables(ctx, conns, phases)
        snapshots = preflight.read_schemas(ctx, conns)
        target = preflight.v2_target(ctx, conns.same_server, snapshots)
        # a real run skips the plan: it would cost about twice the load, and the validation
        # report gives the actual outcome per table
        with PlanCompile(ctx, conns, snapshots) as plan_compile:
            compiled = preflight.compile_project(ctx, phases, target, everything=True)
            preflight.write_schema_files(ctx, compiled, snapshots)
            plan = measure_plan(ctx, conns, phases, events, plan_compile)
        parse_compiled_sql(phases, compiled, "postgres" if ctx.config.new.is_postgres else "mysql")
    return Outcome("dry_run", ctx.databases.v2, plan)


class PlanCompile:
    """The plan's dbt compile, started beside the pre-flight's compile in a dbt process of its
    own. Each compile parses the project (their targets and vars differ) and dbt's Python keeps
    about one core busy, so on two cores the plan's compile is done by the time the pre-flight's
    is. With CREATE TEMPORARY TABLES on the v1 database, each table's rows are checked once, into
    tables of this session (as a real run does); without, every table's query is read with its
    ancestors inlined, which grows with the depth of the references."""

    def __init__(self, ctx: RunContext, conns: RunConnections, snapshots: preflight.SchemaSnapshots):
        c, db = ctx.config, ctx.databases
        self.session = not missing_privileges(conns.old, db.v1, ["CREATE TEMPORARY TABLES"])
        extra = {"plan_session_tables": True, "work_schema": db.v1} if self.session else {}
        self.target = ctx.dbt_target(c.old, db.v1, ctx.paths.dbt_dir("plan"), plan_only=True, v2_schema=db.v2,
                                     schema_snapshot=preflight.snapshot_var(ctx, snapshots),
                                     schema_unique_keys=preflight.unique_keys_var(ctx, snapshots), **extra)
        self._process = DbtProcess()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plan-compile")
        self._result = self._pool.submit(
            ctx.dbt, self.target, "compile", "--select", "path:models/intermediate",
            "path:models/audit/migration_dropped_values.sql", "path:analyses/plan_value_changes.sql",
            "path:analyses/plan_self_references.sql", "--exclude", "resource_type:test", "int_unstorable_values",
            process=self._process)

    def result(self) -> Path:
        """dbt's target directory of the compiled plan, once the compile is done."""
        compiled = self._result.result()
        if not compiled.ok:
            raise compiled.failure("plan")
        return self.target.target_dir

    def __enter__(self) -> PlanCompile:
        return self

    def __exit__(self, *exc) -> None:
        self._process.close()  # at once, if the run stops before the plan needs it
        self._pool.shutdown(wait=True)


def measure_plan(ctx: RunContext, conns: RunConnections, phases: Phases, events: RunEvents,
                 plan_compile: PlanCompile) -> dict:
    """reports/migration_plan.json: what a real run would load and reject, measured read-only
    on the v1 server, with the project compiled to SELECTs (var plan_only)."""
    c, db = ctx.config, ctx.databases
    with phases("plan: measure what each table would load and reject (SELECT only)"):
        compiled = plan_compile.result()
        session = plan_compile.session
        if session:
            plans.session_tables(conns.old, compiled, db.v1,
                                 lambda i, n, name: events.item_done("plan: checking", i, n, name))
        else:
            log.info("   the account lacks CREATE TEMPORARY TABLES on %s: every table is measured with its "
                     "ancestors inlined, which at scale is much slower than a real run", db.v1)
        plan = plans.build_plan(conns.old, compiled, dict(ctx.dispositions), db.v1,
                                lambda i, n, table: events.item_done("plan", i, n, table),
                                session_database=db.v1 if session else None)
    plan = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "v1": c.old.describe(), "v2": c.new.describe(), "same_server": conns.same_server,
        "sample_patients": ctx.options.limit, **plan,
    }
    reports.write_json(ctx.paths.reports / "migration_plan.json", plan)
    t = plan["totals"]
    log.info("   plan: %d v1 rows; %d to load, %d rejected, %d loaded with changes, %d moved, %d added, "
             "%d not carried", t["v1_rows"], t["rows_to_load"], t["rows_rejected"], t["rows_loaded_with_changes"],
             t["rows_moved"], t["rows_added"], t["rows_not_carried"])
    refused = [u for u in plan["unstorable_values"] if u["policy"] == "refuse"]
    if refused:
        log.warning("   plan: %d values v2 cannot store have the policy refuse: a real run would stop before "
                    "writing (see unstorable_values in the plan)", sum(u["rows"] for u in refused))
    return plan


def parse_compiled_sql(phases: Phases, compiled: Path, dialect: str = "mysql") -> int:
    """Every statement dbt compiled parses as the v2 server's SQL (sqlglot: MySQL, or PostgreSQL):
    a statement the server would refuse is found before the real run."""
    name = {"mysql": "MySQL", "postgres": "PostgreSQL"}[dialect]
    with phases(f"dry run: parse every compiled statement (sqlglot, {name})"):
        root = compiled / "compiled"
        files = sorted(root.rglob("*.sql"))
        for path in files:
            if dialect == "postgres" and path.name.startswith("plan_"):
                continue  # the plan's analyses run on the v1 server (MySQL): compiled for it in the plan
            try:
                sqlglot.parse(path.read_text("utf-8"), read=dialect)
            except sqlglot.errors.SqlglotError as e:
                raise RunFailed(f"dry run: {path.relative_to(root)} does not parse as {name}: "
                                f"{str(e).splitlines()[0]}") from None
        log.info("   %d compiled statements parse", len(files))
        return len(files)
