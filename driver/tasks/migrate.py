"""A real run, full or incremental: pre-flight, the run record and backup, (the copy of v1
across servers), dbt, validation and reports. An incremental run is the same run with the v2
models writing only each table's differences (var apply_changes_only) and patients keeping
the UUIDs they had (var keep_patient_uuids): the rules run once, in the same models. Holds the run lock throughout; a failure is recorded so that the same
command resumes it, and with rollback_on_failure v2 is put back."""
from __future__ import annotations

import logging
import resource
import time
from datetime import datetime, timezone

from driver import reports, schema_facts
from driver.connections import RunConnections
from driver.copy import copy_to_landing
from driver.dbt_runner import DbtResult, DbtTarget, NodeFinished
from driver.errors import EXIT_PREFLIGHT, RunFailed
from driver.pg_copy import CopyRefused, copy_to_pg_landing
from driver.events import Phases, RunEvents
from driver.safety.record import RunRecord
from driver.tasks import build, lifecycle, preflight
from driver.tasks.context import Outcome, RunContext

log = logging.getLogger(__name__)


def run(ctx: RunContext, events: RunEvents) -> Outcome:
    phases = Phases(events)
    with RunConnections(ctx.config, lock=True) as conns:
        preflight.connect(ctx, conns, phases)
        preflight.check_privileges_and_tables(ctx, conns, phases)
        snapshots = preflight.read_schemas(ctx, conns)
        target = preflight.v2_target(ctx, conns.same_server, snapshots)
        compiled = preflight.compile_project(ctx, phases, target, everything=False)
        preflight.write_schema_files(ctx, compiled, snapshots)
        started = lifecycle.begin(ctx, conns, phases)
        try:
            report = migrate(ctx, conns, target, phases, events, started)
        except BaseException as error:
            raise lifecycle.failed(ctx, started, error, phases, events)  # noqa: B904 - the same error, or it amended
        totals = report.get("totals") or {}
        lifecycle.succeeded(ctx, conns, started, report.get("v2_checksums") or reports.table_checksums(
            conns.new, ctx.databases.v2, ctx.tables("migrated")),
            {"rows_loaded": totals.get("loaded_rows"), "rows_rejected": totals.get("rejected_rows"),
             "rows_changed": totals.get("changed_rows")})
    return Outcome(ctx.options.mode, ctx.databases.v2, report)


def migrate(ctx: RunContext, conns: RunConnections, target: DbtTarget, phases: Phases, events: RunEvents,
            started: lifecycle.StartedRun) -> dict:
    c = ctx.config
    copy_peak_rss_mb = None if conns.same_server else copy_v1(ctx, conns, phases, events)
    run_sql(conns.new, phases, "pre_migration_sql", c.pre_migration_sql)
    record = RunRecord(conns.new, ctx.databases.work)

    def on_node(node: NodeFinished) -> None:
        if not node.is_test and node.status == "success":
            record.model_finished(started.run_id, node.unique_id)
        events.node_finished(node)
    result = build.build(ctx, target, conns.new, phases, started.finished_models, on_node)
    conns.reconnect_if_lost()
    if result.ok:
        run_sql(conns.new, phases, "post_migration_sql", c.post_migration_sql)
    custom = custom_validation(ctx, conns.new) if result.ok else []
    report = write_reports(ctx, conns, phases, result, started, custom, copy_peak_rss_mb)
    if not result.ok:
        raise result.failure("migration failed")
    failed = [q["name"] for q in custom if not q["passed"]]
    if failed:
        raise RunFailed(f"validation failed: custom validation queries {', '.join(failed)}")
    return report


def copy_v1(ctx: RunContext, conns: RunConnections, phases: Phases, events: RunEvents) -> float:
    """v1 into the landing schema on the v2 server, in batches; returns the driver's peak memory."""
    c, db = ctx.config, ctx.databases
    with phases(f"copy v1 to {db.landing} on the v2 server"):
        # all of them: the reconciliation counts the v1 rows of the tables not carried too
        tables = sorted(schema_facts.columns("v1"))
        if c.new.is_postgres:
            try:
                copied = copy_to_pg_landing(c.old.server, db.v1, c.new.server, db.landing, tables,
                                            batch_size=c.batch_size, max_workers=c.threads,
                                            progress=events.rows_copied)
            except CopyRefused as e:
                raise RunFailed(f"copy: {e}; nothing was written to v2", EXIT_PREFLIGHT) from None
            peak = peak_rss_mb()
            log.info("   %d rows in %d tables; driver peak memory %.1f MB", sum(copied.values()), len(copied), peak)
            return peak
        writer = conns.connect(c.new, "new", database=False)
        reader = conns.connect(c.old, "old")
        try:
            copied = copy_to_landing(reader, writer, db.v1, db.landing, tables, c.batch_size, c.bulk_insert_size,
                                     events.rows_copied, servers=(c.old.server, c.new.server), max_workers=c.threads)
        finally:
            reader.close()
            writer.close()
        peak = peak_rss_mb()
        log.info("   %d rows in %d tables; driver peak memory %.1f MB", sum(copied.values()), len(copied), peak)
    return peak


def run_sql(conn, phases: Phases, label: str, statements) -> None:
    if not statements:
        return
    with phases(label):
        cur = conn.cursor()
        for i, statement in enumerate(statements, 1):
            started = time.monotonic()
            cur.execute(statement)
            if cur.with_rows:
                cur.fetchall()
            log.debug("   statement %d: %.2fs", i, time.monotonic() - started)


def custom_validation(ctx: RunContext, conn) -> list[dict]:
    """The config's custom_validation_queries: each passes when it returns no row, or 0/NULL."""
    results = []
    cur = conn.cursor()
    for query in ctx.config.custom_validation_queries:
        cur.execute(query.sql)
        rows = cur.fetchall() if cur.with_rows else []
        value = rows[0][0] if rows and rows[0] else None
        passed = not rows or value in (0, "0", None)
        results.append({"name": query.name, "passed": passed, "value": value, "rows": len(rows)})
        (log.info if passed else log.warning)("   custom validation %s: %s", query.name, "pass" if passed else "FAIL")
    return results


def write_reports(ctx: RunContext, conns: RunConnections, phases: Phases, result: DbtResult,
                  started: lifecycle.StartedRun, custom: list[dict], copy_peak_rss_mb: float | None) -> dict:
    """Whatever this run produced, also when it failed: what was not built is left out (never
    taken from an earlier run)."""
    c, db, conn = ctx.config, ctx.databases, conns.new

    def built(model: str) -> bool:  # by this run, or by the interrupted attempt it resumes
        return f"model.moh_migrate.{model}" in started.finished_models or result.built(model)
    with phases("reports"):
        if c.generate_crosswalks and built("int_patients_minted") and built("int_staff_users_kept"):
            for name, rows in reports.write_crosswalks(conn, db.work, ctx.paths.reports, c.batch_size).items():
                log.info("   reports/%s: %d rows", name, rows)
        # the exceptions are known once every table's rows are checked, before any v2 write:
        # a run that fails later (or is refused) still lists what it knew
        if built("migration_exceptions"):
            rows = reports.write_exceptions(conn, db.work, ctx.paths.reports, c.batch_size)
            log.info("   reports/exceptions.csv: %d rows", rows)
        complete = built("migration_exceptions") and built("migration_reconciliation")
        if not c.generate_validation_report:
            return {}
        tables = reports.reconciliation(conn, db.work) if complete else []
        checksums = reports.table_checksums(conn, db.v2, sorted(schema_facts.columns("v2")))
        exceptions = reports.exceptions_by_reason(conn, db.work) if complete else {}
        roots = reports.root_causes(conn, db.work) if complete else []
        applied = reports.applied_changes(conn, db.work) if ctx.options.mode == "incremental" else None
    report = reports.validation_report(
        finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        where={"v1": c.old.describe(), "v2": c.new.describe(), "same_server": conns.same_server,
               "sample_patients": ctx.options.limit},
        build=result, custom=custom, tables=tables, checksums=checksums, exceptions=exceptions, root_causes=roots,
        v2_database=db.v2,
        phases=dict(phases.seconds), build_seconds=phases.first("dbt:"), run=started.report(),
        peak_rss_mb=peak_rss_mb(), peak_rss_mb_after_copy=copy_peak_rss_mb, applied=applied)
    reports.write_json(ctx.paths.out / "validation_report.json", report)
    return report


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
