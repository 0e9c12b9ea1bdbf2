"""--rollback: v2 back to its content before the last run, from that run's backup, each table
checked against the checksum taken before the run. Takes the run lock; reads no v1."""
from __future__ import annotations

import logging

from driver.connections import RunConnections
from driver.errors import EXIT_PREFLIGHT, RunFailed
from driver.events import Phases, RunEvents
from driver.pg import is_postgres
from driver.safety import backup
from driver.safety.decision import rollback_refusal
from driver.safety.record import RunRecord
from driver.tasks import preflight
from driver.tasks.context import Outcome, RunContext

log = logging.getLogger(__name__)


def run(ctx: RunContext, events: RunEvents) -> Outcome:
    db, phases = ctx.databases, Phases(events)
    with RunConnections(ctx.config, lock=True) as conns:
        preflight.connect(ctx, conns, phases, old=False)
        with phases("rollback"):
            record = RunRecord(conns.new, db.work)
            last = record.latest()
            in_backup = backup.tables_in(conns.new, last["backup_schema"]) if last and last["backup_schema"] else 0
            replaced = len(record.tables_of(last["run_id"])) if last else 0
            refusal = rollback_refusal(last, db.v2, f"{db.work}.migration_runs", in_backup, replaced)
            if refusal:
                raise RunFailed(refusal, EXIT_PREFLIGHT)
            log.info("   restoring the v2 tables of run #%d (started %s UTC) from %s", last["run_id"],
                     last["started_at"], last["backup_schema"])
            restored = restore(ctx, record, last, events)
    return Outcome("rollback", db.v2, {"run_id": last["run_id"], **restored})


def restore(ctx: RunContext, record: RunRecord, run: dict, events: RunEvents) -> dict:
    """Put every table of `run` back from its backup and mark the run rolled back; fails when a
    table's checksum differs from the pre-run one afterwards."""
    restored = backup.restore(record.conn, ctx.databases.v2, run["backup_schema"], record.tables_of(run["run_id"]),
                              lambda i, n, table: events.item_done("restore", i, n, table))
    if restored.differing:
        raise RunFailed(f"rollback: {len(restored.differing)} tables differ from their pre-run checksum after the "
                        f"restore: {', '.join(restored.differing[:8])}", EXIT_PREFLIGHT)
    record.rolled_back(run["run_id"])
    if is_postgres(record.conn):
        # the rows a parent's delete cascaded to, not yet counted by their own table's step, are
        # back: an incremental run that failed must not hand them to the next one
        cur = record.conn.cursor()
        table = f'"{ctx.databases.work}".v2_applied_changes'
        cur.execute("select to_regclass(%s) is not null", (table,))
        if cur.fetchone()[0]:
            cur.execute(f"update {table} set cascaded_rows = 0 where cascaded_rows <> 0")
    log.info("   restored %d tables (%d rows) of run #%d from %s in %.1fs; every checksum equals the pre-run one",
             restored.tables, restored.rows, run["run_id"], run["backup_schema"], restored.seconds)
    return {"tables": restored.tables, "rows": restored.rows, "seconds": restored.seconds}
