"""What makes a real run safe to start, to interrupt and to undo.

- One run at a time: a server-side lock (GET_LOCK) named after the v2 database, held by the
  driver's connection for the whole run; the server frees it when that connection dies.
- The run record, in the work schema: each run, its status, its backup, the v2 tables it
  touches (with their checksums before and after) and the models it has finished. A run that
  did not end (killed, failed) is resumed by the next one: same backup, finished models kept.
- The backup: before the first write to v2, a copy of every v2 table the run replaces, in the
  schema `<v2>_backup` on the v2 server. `--rollback` puts it back and checks the checksums.

All of it is set-based SQL on the v2 server; no table's rows pass through Python.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from driver.errors import EXIT_BUSY, EXIT_PREFLIGHT, RunFailed
from driver.reports import table_checksums

log = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
UNFINISHED = ("running", "failed")


def quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


# --- one run at a time -----------------------------------------------------------------------

def lock_name(database: str) -> str:
    return ("moh-migrate:" + database)[:64]


def acquire_lock(conn, database: str) -> None:
    """Take the run lock on this connection, or fail at once naming who holds it."""
    cur = conn.cursor(buffered=True)
    cur.execute("select get_lock(%s, 0)", (lock_name(database),))
    if cur.fetchone()[0] == 1:
        return
    cur.execute("select is_used_lock(%s)", (lock_name(database),))
    holder = cur.fetchone()[0]
    raise RunFailed(f"another moh-migrate run is working on {database} (server connection {holder}); "
                    "wait for it to finish, or stop it, then run again", EXIT_BUSY)


# --- what a run depends on -------------------------------------------------------------------

def fingerprint(dbt_vars: dict, secret: str) -> str:
    """Everything that decides what the models write: the project's SQL, the vars (mapping,
    sample size, ...) and the UUID secret. A resumed run keeps finished models only when
    this is unchanged."""
    digest = hashlib.sha256()
    for folder in ("models", "macros"):
        for path in sorted((PROJECT_DIR / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(PROJECT_DIR)).encode())
                digest.update(path.read_bytes())
    digest.update((PROJECT_DIR / "dbt_project.yml").read_bytes())
    digest.update(json.dumps(dbt_vars, sort_keys=True, default=str).encode())
    digest.update(hashlib.sha256(secret.encode()).digest())
    return digest.hexdigest()


# --- the run record --------------------------------------------------------------------------

RECORD_DDL = [
    """create table if not exists {work}.migration_runs (
         run_id int not null auto_increment primary key,
         started_at datetime(3) not null,
         finished_at datetime(3) null,
         attempts int not null default 1,
         status varchar(16) not null,
         inputs_fingerprint char(64) not null,
         backup_schema varchar(64) null,
         backup_completed_at datetime(3) null,
         backup_rows bigint null,
         backup_bytes bigint null,
         backup_seconds decimal(12,3) null,
         message varchar(1000) null
       ) engine=InnoDB""",
    """create table if not exists {work}.migration_run_tables (
         run_id int not null,
         table_name varchar(64) not null,
         pre_run_rows bigint null,
         pre_run_checksum bigint null,
         post_run_checksum bigint null,
         primary key (run_id, table_name)
       ) engine=InnoDB""",
    """create table if not exists {work}.migration_run_models (
         run_id int not null,
         unique_id varchar(255) not null,
         primary key (run_id, unique_id)
       ) engine=InnoDB""",
]


@dataclass
class RunState:
    run_id: int
    resumed: bool
    backup_done: bool
    finished_models: set[str] = field(default_factory=set)
    backup: dict = field(default_factory=dict)


class RunRecord:
    """The run record of one v2 database, kept in its work schema."""

    def __init__(self, conn, work: str, v2: str, backup_schema: str):
        self.conn, self.work, self.v2, self.backup_schema = conn, work, v2, backup_schema
        self.run_id: int | None = None
        self._record_warned = False

    def cursor(self):
        return self.conn.cursor(dictionary=True, buffered=True)

    def ensure(self) -> None:
        cur = self.conn.cursor(buffered=True)
        cur.execute(f"create database if not exists {quote(self.work)}")
        for ddl in RECORD_DDL:
            cur.execute(ddl.format(work=quote(self.work)))

    def exists(self) -> bool:
        cur = self.conn.cursor(buffered=True)
        cur.execute("select count(*) from information_schema.tables where table_schema = %s "
                    "and table_name = 'migration_runs'", (self.work,))
        return cur.fetchone()[0] == 1

    def latest(self) -> dict | None:
        if not self.exists():
            return None
        cur = self.cursor()
        cur.execute(f"select * from {quote(self.work)}.migration_runs order by run_id desc limit 1")
        return cur.fetchone()

    def tables_of(self, run_id: int) -> list[dict]:
        cur = self.cursor()
        cur.execute(f"select * from {quote(self.work)}.migration_run_tables where run_id = %s order by table_name",
                    (run_id,))
        return cur.fetchall()

    # -- starting a run -----------------------------------------------------------------------
    def begin(self, tables: list[str], inputs: str, *, backup: bool, replace_existing: bool) -> RunState:
        """Start a run, or resume the one that did not end. Refuses to replace rows this tool
        did not write unless replace_existing (and then only with a backup)."""
        self.ensure()
        last = self.latest()
        cur = self.conn.cursor(buffered=True)
        if last and last["status"] in UNFINISHED:
            self.run_id = last["run_id"]
            keep_models = last["inputs_fingerprint"] == inputs
            cur.execute(f"update {quote(self.work)}.migration_runs set status = 'running', attempts = attempts + 1, "
                        "finished_at = null, message = null, inputs_fingerprint = %s where run_id = %s",
                        (inputs, self.run_id))
            if not keep_models:
                cur.execute(f"delete from {quote(self.work)}.migration_run_models where run_id = %s", (self.run_id,))
                log.info("   resuming run #%d; the project, mapping or options changed since: every model is rebuilt",
                         self.run_id)
            cur.execute(f"select unique_id from {quote(self.work)}.migration_run_models where run_id = %s",
                        (self.run_id,))
            finished = {row[0] for row in cur.fetchall()}
            state = RunState(self.run_id, resumed=True, backup_done=last["backup_completed_at"] is not None,
                             finished_models=finished)
            if state.backup_done:
                state.backup = {"schema": last["backup_schema"], "rows": last["backup_rows"],
                                "bytes": last["backup_bytes"], "seconds": float(last["backup_seconds"])}
            log.info("   resuming run #%d (attempt %d): %d models finished before are kept", self.run_id,
                     last["attempts"] + 1, len(finished))
            if backup and not state.backup_done:
                # interrupted while backing up: v2 has not been written yet, so back up afresh
                state.backup = self.take_backup(tables)
                state.backup_done = True
            return state

        foreign = self.foreign_rows(tables, last)
        if foreign and not replace_existing:
            listed = ", ".join(f"{t} ({n} rows)" for t, n in foreign[:10])
            more = f" and {len(foreign) - 10} more tables" if len(foreign) > 10 else ""
            raise RunFailed(f"pre-flight: v2 tables hold rows this tool did not write, which the migration would "
                            f"replace: {listed}{more}; run again with --replace-existing to replace them "
                            "(they are backed up first)", EXIT_PREFLIGHT)
        if foreign and not backup:
            raise RunFailed("pre-flight: --replace-existing needs a backup: set backup_before_migration: true",
                            EXIT_PREFLIGHT)
        if foreign:
            log.warning("   replacing rows this tool did not write in %d v2 tables (--replace-existing): %s",
                        len(foreign), ", ".join(t for t, _ in foreign))
        cur.execute(f"insert into {quote(self.work)}.migration_runs (started_at, status, inputs_fingerprint) "
                    "values (utc_timestamp(3), 'running', %s)", (inputs,))
        self.run_id = cur.lastrowid
        log.info("   run #%d", self.run_id)
        state = RunState(self.run_id, resumed=False, backup_done=False)
        if backup:
            state.backup = self.take_backup(tables)
            state.backup_done = True
        else:
            cur.executemany(f"insert into {quote(self.work)}.migration_run_tables (run_id, table_name) values (%s, %s)",
                            [(self.run_id, t) for t in tables])
            log.warning("   no backup (backup_before_migration: false): --rollback will not be possible for this run")
        return state

    def foreign_rows(self, tables: list[str], last: dict | None) -> list[tuple[str, int]]:
        """v2 tables holding rows, other than the content the last successful run left there."""
        ours = {}
        if last and last["status"] == "succeeded":
            ours = {t["table_name"]: t["post_run_checksum"] for t in self.tables_of(last["run_id"])}
        cur = self.conn.cursor(buffered=True)
        found = []
        for table in tables:
            cur.execute(f"select count(*) from {quote(self.v2)}.{quote(table)}")
            rows = cur.fetchone()[0]
            if rows and ours.get(table) != table_checksums(self.conn, self.v2, [table])[table]:
                found.append((table, rows))
        return found

    # -- the backup ---------------------------------------------------------------------------
    def take_backup(self, tables: list[str]) -> dict:
        """Copy every table the run replaces into the backup schema, with its row count and
        checksum, before anything is written to v2."""
        started = time.monotonic()
        cur = self.conn.cursor(buffered=True)
        b, v2 = quote(self.backup_schema), quote(self.v2)
        cur.execute(f"create database if not exists {b}")
        cur.execute(f"delete from {quote(self.work)}.migration_run_tables where run_id = %s", (self.run_id,))
        total = 0
        for table in tables:
            cur.execute(f"drop table if exists {b}.{quote(table)}")
            # a copy without the secondary and FULLTEXT indexes: fast to write, exact in content
            cur.execute(f"create table {b}.{quote(table)} engine=InnoDB as select * from {v2}.{quote(table)}")
            cur.execute(f"select count(*) from {b}.{quote(table)}")
            rows = cur.fetchone()[0]
            checksum = table_checksums(self.conn, self.v2, [table])[table]
            cur.execute(f"insert into {quote(self.work)}.migration_run_tables (run_id, table_name, pre_run_rows, "
                        "pre_run_checksum) values (%s, %s, %s, %s)", (self.run_id, table, rows, checksum))
            total += rows
        cur.execute("select coalesce(sum(data_length + index_length), 0) from information_schema.tables "
                    "where table_schema = %s", (self.backup_schema,))
        size = int(cur.fetchone()[0])
        seconds = round(time.monotonic() - started, 3)
        cur.execute(f"update {quote(self.work)}.migration_runs set backup_schema = %s, backup_completed_at = utc_timestamp(3), "
                    "backup_rows = %s, backup_bytes = %s, backup_seconds = %s where run_id = %s",
                    (self.backup_schema, total, size, seconds, self.run_id))
        log.info("   backup of %d v2 tables (%d rows, %.1f MB) in %s on the v2 server, %.1fs; "
                 "undo this run with --rollback", len(tables), total, size / 1e6, self.backup_schema, seconds)
        return {"schema": self.backup_schema, "tables": len(tables), "rows": total, "bytes": size, "seconds": seconds}

    # -- during and after the run ---------------------------------------------------------------
    def model_finished(self, unique_id: str) -> None:
        """Remember a finished model, for a resume. Best effort: if the record cannot be
        written (the server went away), the model is simply rebuilt next time."""
        try:
            self.conn.cursor().execute(
                f"insert ignore into {quote(self.work)}.migration_run_models (run_id, unique_id) values (%s, %s)",
                (self.run_id, unique_id))
        except Exception as e:  # noqa: BLE001 - the run itself decides whether it failed
            if not self._record_warned:
                log.warning("   cannot record finished models (%s); a resume will rebuild them", type(e).__name__)
                self._record_warned = True

    def succeeded(self, checksums: dict[str, int]) -> None:
        cur = self.conn.cursor(buffered=True)
        cur.executemany(f"update {quote(self.work)}.migration_run_tables set post_run_checksum = %s "
                        "where run_id = %s and table_name = %s",
                        [(checksums[t["table_name"]], self.run_id, t["table_name"]) for t in self.tables_of(self.run_id)])
        cur.execute(f"update {quote(self.work)}.migration_runs set status = 'succeeded', finished_at = utc_timestamp(3) "
                    "where run_id = %s", (self.run_id,))

    def failed(self, message: str) -> None:
        self.conn.cursor().execute(
            f"update {quote(self.work)}.migration_runs set status = 'failed', finished_at = utc_timestamp(3), "
            "message = %s where run_id = %s", (message[:1000], self.run_id))

    # -- rollback -------------------------------------------------------------------------------
    def restorable(self) -> dict:
        """The run whose backup --rollback would restore, or a refusal saying why there is none."""
        last = self.latest()
        if last is None:
            raise RunFailed(f"nothing to roll back: no moh-migrate run is recorded for {self.v2} "
                            f"(in {self.work}.migration_runs)", EXIT_PREFLIGHT)
        if last["status"] == "rolled_back":
            raise RunFailed(f"nothing to roll back: the last run (#{last['run_id']}) was already rolled back "
                            f"at {last['finished_at']} UTC", EXIT_PREFLIGHT)
        if last["backup_completed_at"] is None:
            raise RunFailed(f"cannot roll back: the last run (#{last['run_id']}) took no backup "
                            "(backup_before_migration: false, or it stopped before its backup was complete)",
                            EXIT_PREFLIGHT)
        cur = self.conn.cursor(buffered=True)
        cur.execute("select count(*) from information_schema.tables where table_schema = %s", (last["backup_schema"],))
        expected = len(self.tables_of(last["run_id"]))
        if cur.fetchone()[0] < expected:
            raise RunFailed(f"cannot roll back: the backup of run #{last['run_id']} in {last['backup_schema']} "
                            "is incomplete (tables were dropped)", EXIT_PREFLIGHT)
        return last

    def restore(self, run: dict, progress=None) -> dict:
        """Put every table of the run back as the backup holds it, each in one transaction,
        then check it against the checksum taken before the run."""
        started = time.monotonic()
        self.run_id = run["run_id"]
        tables = self.tables_of(run["run_id"])
        b, v2 = quote(run["backup_schema"]), quote(self.v2)
        cur = self.conn.cursor(buffered=True)
        cur.execute("set session foreign_key_checks = 0, time_zone = '+00:00', "
                    "sql_mode = concat(@@session.sql_mode, ',NO_AUTO_VALUE_ON_ZERO')")
        rows = 0
        try:
            for i, t in enumerate(tables, 1):
                name = quote(t["table_name"])
                cur.execute(f"select column_name from information_schema.columns where table_schema = %s "
                            "and table_name = %s order by ordinal_position", (run["backup_schema"], t["table_name"]))
                columns = ", ".join(quote(c) for (c,) in cur.fetchall())
                self.conn.start_transaction()
                cur.execute(f"delete from {v2}.{name}")
                cur.execute(f"insert into {v2}.{name} ({columns}) select {columns} from {b}.{name}")
                rows += max(cur.rowcount, 0)
                self.conn.commit()
                if progress:
                    progress(i, len(tables), t["table_name"])
        finally:
            cur.execute("set session foreign_key_checks = 1")
        now = table_checksums(self.conn, self.v2, [t["table_name"] for t in tables])
        differ = [t["table_name"] for t in tables if now[t["table_name"]] != t["pre_run_checksum"]]
        if differ:
            raise RunFailed(f"rollback: {len(differ)} tables differ from their pre-run checksum after the restore: "
                            f"{', '.join(differ[:8])}", EXIT_PREFLIGHT)
        cur.execute(f"update {quote(self.work)}.migration_runs set status = 'rolled_back', finished_at = utc_timestamp(3) "
                    "where run_id = %s", (run["run_id"],))
        cur.execute(f"delete from {quote(self.work)}.migration_run_models where run_id = %s", (run["run_id"],))
        seconds = round(time.monotonic() - started, 3)
        log.info("   restored %d tables (%d rows) of run #%d from %s in %.1fs; every checksum equals the pre-run one",
                 len(tables), rows, run["run_id"], run["backup_schema"], seconds)
        return {"tables": len(tables), "rows": rows, "seconds": seconds}
