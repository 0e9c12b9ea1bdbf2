"""The steps a dry run and a real run share before anything is written: connect, check
privileges and tables, read both schemas, compile the dbt project (its own pre-flight), and
write schema_diff.md and post_migration_checks.sql."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from driver import plan as plans
from driver import schema, schema_facts
from driver.connections import ConnectionProblem, RunConnections, require_privileges, table_names
from driver.dbt_runner import DbtTarget
from driver.errors import EXIT_CONNECTION, EXIT_PREFLIGHT, RunFailed
from driver.events import Phases
from driver.tasks.context import RunContext

log = logging.getLogger(__name__)

WORK_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "INDEX", "CREATE VIEW"]


@dataclass(frozen=True)
class SchemaSnapshots:
    """What the v1 and v2 databases look like (information_schema), read once per run."""

    v1: dict[str, schema.Table]
    v2: dict[str, schema.Table]


def connect(ctx: RunContext, conns: RunConnections, phases: Phases, *, old: bool = True) -> None:
    with phases("connect"):
        conns.open(old=old)
        if old:
            log.info("   v1: %s", ctx.config.old.describe())
            log.info("   v2: %s%s", ctx.config.new.describe(),
                     " (the same server)" if conns.same_server else " (another server)")


def check_privileges_and_tables(ctx: RunContext, conns: RunConnections, phases: Phases) -> None:
    c, db, writes = ctx.config, ctx.databases, not ctx.options.dry_run
    with phases("pre-flight: privileges and tables"):
        try:
            require_privileges(conns.old, "old", c.old, db.v1, ["SELECT"])
            require_privileges(conns.new, "new", c.new, db.v2, ["SELECT", "INSERT", "DELETE"] if writes else ["SELECT"])
            if writes:
                if c.new.is_postgres:
                    # foreign keys stay on: relatives are linked once their rows are in; and every
                    # sequence is set past the highest id after the load
                    require_privileges(conns.new, "new", c.new, db.v2, ["UPDATE"], "a load into PostgreSQL")
                    require_privileges(conns.new, "new", c.new, db.v2, ["SEQUENCE UPDATE"], "a load into PostgreSQL")
                elif not c.disable_fk_checks:
                    # relatives (patients.relation_patient_id) are linked once their rows are in
                    require_privileges(conns.new, "new", c.new, db.v2, ["UPDATE"], "disable_fk_checks: false")
                require_privileges(conns.new, "new", c.new, db.work, WORK_PRIVILEGES)
                if c.backup_before_migration:
                    require_privileges(conns.new, "new", c.new, db.backup, WORK_PRIVILEGES,
                                       "backup_before_migration: true")
                if conns.same_server:
                    require_privileges(conns.new, "new", c.new, db.v1, ["SELECT"])
                else:
                    require_privileges(conns.new, "new", c.new, db.landing, WORK_PRIVILEGES)
        except ConnectionProblem as e:
            raise RunFailed(str(e), EXIT_CONNECTION) from None
        missing_v2 = sorted(set(schema_facts.columns("v2")) - table_names(conns.new, db.v2))
        if missing_v2:
            raise RunFailed(f"pre-flight: v2 database {db.v2} lacks {len(missing_v2)} tables "
                            f"({', '.join(missing_v2[:8])}{'...' if len(missing_v2) > 8 else ''}); "
                            "create the v2 schema first", EXIT_PREFLIGHT)
        needed_v1 = set(schema_facts.columns("v1")) - set(ctx.tables("v2_owned"))
        missing_v1 = sorted(needed_v1 - table_names(conns.old, db.v1))
        if missing_v1:
            raise RunFailed(f"pre-flight: v1 database {db.v1} lacks {len(missing_v1)} tables "
                            f"({', '.join(missing_v1[:8])}{'...' if len(missing_v1) > 8 else ''})", EXIT_PREFLIGHT)


def read_schemas(ctx: RunContext, conns: RunConnections) -> SchemaSnapshots:
    return SchemaSnapshots(v1=schema.snapshot(conns.old, ctx.databases.v1),
                           v2=schema.snapshot(conns.new, ctx.databases.v2))


def snapshot_var(ctx: RunContext, snapshots: SchemaSnapshots) -> dict:
    """The dbt var schema_snapshot: both schemas by database name, for compiling where one of
    them is not on dbt's server (see macros/introspection.sql)."""
    return {ctx.databases.v1: schema.columns_for_dbt(snapshots.v1),
            ctx.databases.v2: schema.columns_for_dbt(snapshots.v2)}


def unique_keys_var(ctx: RunContext, snapshots: SchemaSnapshots) -> dict:
    """The dbt var schema_unique_keys: both schemas' unique keys, by database name."""
    return {ctx.databases.v1: schema.unique_keys_for_dbt(snapshots.v1),
            ctx.databases.v2: schema.unique_keys_for_dbt(snapshots.v2)}


def v2_target(ctx: RunContext, same_server: bool, snapshots: SchemaSnapshots) -> DbtTarget:
    """The dbt target on the v2 server, one for every dbt call of a run (compile, the work
    schema, build) and for a dry run's compile: the same directory, profile and vars, so that
    dbt parses the project once and the later calls reuse it (partial parsing). When v1 lives
    on another server, dbt reads it from the landing copy, and until the copy exists, the
    columns of its tables from the snapshot (they are the same).

    On MySQL/MariaDB the models read both schemas' columns and unique keys from this run's
    snapshot too (vars schema_snapshot, schema_unique_keys), not from information_schema: each
    checked model and the pre-flight model compare every table, and a query per table and
    model cost dbt about 10 s of a 200-patient run. PostgreSQL's v2 keeps reading its catalog."""
    db = ctx.databases
    v1 = db.v1_for_dbt(same_server)
    # only the tables the project knows: the vars travel on dbt's command line
    v1_tables = {t: snapshots.v1[t] for t in schema_facts.columns("v1") if t in snapshots.v1}
    v2_tables = {t: snapshots.v2[t] for t in schema_facts.columns("v2") if t in snapshots.v2}
    if ctx.config.new.is_postgres:
        extra = {"schema_snapshot": {v1: schema.columns_for_dbt(v1_tables)}}
    else:
        extra = {"schema_snapshot": {v1: schema.columns_for_dbt(v1_tables), db.v2: schema.columns_for_dbt(v2_tables)},
                 "schema_unique_keys": {v1: schema.unique_keys_for_dbt(v1_tables),
                                        db.v2: schema.unique_keys_for_dbt(v2_tables)}}
    return ctx.dbt_target(ctx.config.new, v1, ctx.paths.dbt_dir("v2"), **extra)


def compile_project(ctx: RunContext, phases: Phases, target: DbtTarget, *, everything: bool) -> Path:
    """dbt compile against v2 (nothing is written): runs the pre-flight checks of
    int_v2_tables_checked and renders post_migration_checks.sql. A dry run compiles every model
    and test too (it parses each statement); a real run compiles only those two, since its build
    compiles the rest anyway (about 6 s of a 29 s run at 200 patients). Returns dbt's target
    directory."""
    with phases("pre-flight: compile the dbt project"):
        selected = () if everything else ("--select", "int_v2_tables_checked", "path:analyses/post_migration_checks.sql")
        result = ctx.dbt(target, "compile", *selected)
        if not result.ok:
            raise result.failure("pre-flight")
        return target.target_dir


def write_schema_files(ctx: RunContext, compiled: Path, snapshots: SchemaSnapshots) -> None:
    out = ctx.paths.out
    out.mkdir(parents=True, exist_ok=True)
    checks = compiled / "compiled" / "moh_migrate" / "analyses" / "post_migration_checks.sql"
    (out / "post_migration_checks.sql").write_bytes(checks.read_bytes())
    if ctx.config.generate_schema_diff:
        manifest = json.loads((compiled / "manifest.json").read_text())
        specs = plans.checked_specs(manifest)
        (out / "schema_diff.md").write_text(schema.diff_markdown(
            snapshots.v1, snapshots.v2, specs, ctx.mapping.dbt_vars["enum_remaps"], dict(ctx.dispositions),
            ctx.databases.v1, ctx.databases.v2), encoding="utf-8")
