"""A real run in the run record: begun (started, resumed or refused, with its backup), ended
(succeeded), or failed (recorded on a fresh connection, rolled back with rollback_on_failure).
The choice between start, resume and refuse is safety.decision's; this module carries it out."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from driver import project
from driver.connections import ConnectionProblem, RunConnections, connect
from driver.errors import EXIT_PREFLIGHT, RunFailed
from driver.events import Phases, RunEvents
from driver.safety import backup
from driver.safety.decision import Policy, decide, resumable
from driver.safety.record import RunRecord
from driver.tasks.context import RunContext
from driver.tasks.rollback import restore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StartedRun:
    run_id: int
    resumed: bool
    backup_done: bool
    finished_models: frozenset[str]  # kept from the interrupted attempt this run resumes
    backup: dict

    def report(self) -> dict:
        return {"run_id": self.run_id, "resumed": self.resumed,
                "models_kept_from_interrupted_attempt": len(self.finished_models), "backup": self.backup}


def begin(ctx: RunContext, conns: RunConnections, phases: Phases) -> StartedRun:
    """Start a run, or resume the one that did not end; refuse to replace rows this tool did
    not write unless --replace-existing (and then only with a backup)."""
    c, db = ctx.config, ctx.databases
    tables = ctx.tables("migrated")
    with phases("pre-flight: run record" + (" and backup" if c.backup_before_migration else "")):
        record = RunRecord(conns.new, db.work)
        record.ensure()
        last = record.latest()
        kind = "incremental" if ctx.options.mode == "incremental" else "full"
        # an incremental run brings the last successful run's v2 up to date: rows other than
        # what that run left are foreign to it (also after a later run was rolled back)
        base = record.last_succeeded() if kind == "incremental" else last
        foreign = None if resumable(last) else backup.foreign_rows(conns.new, db.v2, tables,
                                                                   record.post_run_checksums(base))
        inputs = project.fingerprint(ctx.dbt_vars(), c.patient_uuid_secret)
        decision = decide(last, foreign, Policy(inputs, c.backup_before_migration, ctx.options.replace_existing,
                                                kind), base)
        if decision.action == "refuse":
            raise RunFailed(decision.refusal, EXIT_PREFLIGHT)
        taken = {}
        if decision.action == "resume":
            run_id = decision.run_id
            record.resume(run_id, inputs, keep_models=decision.keep_models)
            if not decision.keep_models:
                log.info("   resuming run #%d; the project, mapping or options changed since: every model is rebuilt",
                         run_id)
            finished = record.finished_models(run_id)
            log.info("   resuming run #%d (attempt %d): %d models finished before are kept", run_id,
                     decision.attempt, len(finished))
            if last["backup_completed_at"] is not None:
                taken = {"schema": last["backup_schema"], "rows": last["backup_rows"],
                         "bytes": last["backup_bytes"], "seconds": float(last["backup_seconds"])}
        else:
            if decision.replacing:
                log.warning("   replacing rows this tool did not write in %d v2 tables (--replace-existing): %s",
                            len(decision.replacing), ", ".join(t for t, _ in decision.replacing))
            run_id = record.start(inputs, kind)
            log.info("   run #%d%s", run_id, f" (incremental: brings run #{base['run_id']}'s v2 up to date)"
                     if kind == "incremental" else "")
            finished = set()
        if decision.take_backup:  # a resumed run whose backup never completed: v2 is not written yet
            taken = take_backup(ctx, record, run_id, tables)
        elif decision.action == "start":
            record.set_tables(run_id, [(t, None, None) for t in tables])
            log.warning("   no backup (backup_before_migration: false): --rollback will not be possible for this run")
    return StartedRun(run_id, decision.action == "resume", bool(taken), frozenset(finished), taken)


def take_backup(ctx: RunContext, record: RunRecord, run_id: int, tables: list[str]) -> dict:
    taken = backup.take_backup(record.conn, ctx.databases.v2, ctx.databases.backup, tables)
    record.set_tables(run_id, taken.tables)
    record.backup_taken(run_id, taken.schema, taken.rows, taken.bytes, taken.seconds)
    log.info("   backup of %d v2 tables (%d rows, %.1f MB) in %s on the v2 server, %.1fs; "
             "undo this run with --rollback", len(tables), taken.rows, taken.bytes / 1e6, taken.schema, taken.seconds)
    return taken.summary()


def succeeded(ctx: RunContext, conns: RunConnections, run: StartedRun, checksums: dict[str, int],
              counts: dict) -> None:
    RunRecord(conns.new, ctx.databases.work).succeeded(run.run_id, checksums, counts)


def failed(ctx: RunContext, run: StartedRun, error: BaseException, phases: Phases, events: RunEvents) -> BaseException:
    """Record the failure (the next run resumes this one) and, with rollback_on_failure, put v2
    back. The record is written on a fresh connection: the run's may be the reason it failed.
    Returns the error to raise."""
    c = ctx.config
    try:
        conn = connect(c.new, "new", attempts=c.retry_attempts, delay=c.retry_delay_seconds)
    except ConnectionProblem:
        log.warning("   cannot record the failure: the next run will resume this one")
        return error
    try:
        record = RunRecord(conn, ctx.databases.work)
        record.failed(run.run_id, str(error) or type(error).__name__)
        if c.rollback_on_failure and isinstance(error, RunFailed):
            if not run.backup_done:
                log.warning("   rollback_on_failure: this run took no backup; v2 is left as the run left it")
                return error
            with phases("rollback (rollback_on_failure)"):
                restore(ctx, record, record.latest(), events)
            return RunFailed(f"{error}; v2 was restored from the backup", error.code)
        if run.backup_done:
            log.info("   v2 can be put back as it was before this run: moh-migrate --config %s --mapping ... "
                     "--rollback; or run the same command again to resume", c.source)
        return error
    finally:
        conn.close()
