"""The run record of one v2 database, kept in its work schema: storage only. What to do with
it (start, resume, refuse, roll back) is decided in safety/decision.py.

  migration_runs        one row per run: kind, status (running, failed, succeeded,
                        rolled_back), attempts, the inputs' fingerprint, its backup, the rows
                        it loaded, rejected and changed (moh-migrate --history lists them)
  migration_run_tables  the v2 tables the run replaces, with row count and checksum before
                        the run (from the backup) and checksum after it
  migration_run_models  the models the run has finished, for a resume
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

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
         message varchar(1000) null,
         kind varchar(16) not null default 'full',
         rows_loaded bigint null,
         rows_rejected bigint null,
         rows_changed bigint null,
         rolled_back_at datetime(3) null
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

ADDED_COLUMNS = [("kind", "varchar(16) not null default 'full'"), ("rows_loaded", "bigint null"),
                 ("rows_rejected", "bigint null"), ("rows_changed", "bigint null"),
                 ("rolled_back_at", "datetime(3) null")]


def quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


class RunRecord:
    """Reads and writes the run record through one connection."""

    def __init__(self, conn, work: str):
        self.conn, self.work = conn, work
        self._record_warned = False

    def _table(self, name: str) -> str:
        return f"{quote(self.work)}.{name}"

    def _cursor(self, dictionary: bool = False):
        return self.conn.cursor(dictionary=dictionary, buffered=True)

    def ensure(self) -> None:
        cur = self._cursor()
        cur.execute(f"create database if not exists {quote(self.work)}")
        for ddl in RECORD_DDL:
            cur.execute(ddl.format(work=quote(self.work)))
        # a record made by an earlier version lacks the columns added since: add them (MySQL 8
        # has no ADD COLUMN IF NOT EXISTS)
        cur.execute("select column_name from information_schema.columns where table_schema = %s "
                    "and table_name = 'migration_runs'", (self.work,))
        have = {row[0].lower() for row in cur.fetchall()}
        for column, definition in ADDED_COLUMNS:
            if column not in have:
                cur.execute(f"alter table {self._table('migration_runs')} add column {column} {definition}")

    def exists(self) -> bool:
        cur = self._cursor()
        cur.execute("select count(*) from information_schema.tables where table_schema = %s "
                    "and table_name = 'migration_runs'", (self.work,))
        return cur.fetchone()[0] == 1

    # -- reading --------------------------------------------------------------------------------
    def latest(self) -> dict | None:
        """The last run, as its migration_runs row; None when no run is recorded."""
        if not self.exists():
            return None
        cur = self._cursor(dictionary=True)
        cur.execute(f"select * from {self._table('migration_runs')} order by run_id desc limit 1")
        return cur.fetchone()

    def last_succeeded(self) -> dict | None:
        """The last run whose result v2 holds: succeeded and not rolled back."""
        if not self.exists():
            return None
        cur = self._cursor(dictionary=True)
        cur.execute(f"select * from {self._table('migration_runs')} where status = 'succeeded' "
                    "order by run_id desc limit 1")
        return cur.fetchone()

    def history(self) -> list[dict]:
        """Every run on this v2, newest first, as --history and report.html show them."""
        if not self.exists():
            return []
        cur = self._cursor(dictionary=True)
        cur.execute(f"select * from {self._table('migration_runs')} order by run_id desc")
        return [{"run_id": r["run_id"], "kind": r.get("kind") or "full", "started_at": r["started_at"],
                 "finished_at": r["finished_at"], "status": r["status"], "attempts": r["attempts"],
                 "rows_loaded": r.get("rows_loaded"), "rows_rejected": r.get("rows_rejected"),
                 "rows_changed": r.get("rows_changed"), "rolled_back_at": r.get("rolled_back_at"),
                 "message": r["message"]} for r in cur.fetchall()]

    def tables_of(self, run_id: int) -> list[dict]:
        cur = self._cursor(dictionary=True)
        cur.execute(f"select * from {self._table('migration_run_tables')} where run_id = %s order by table_name",
                    (run_id,))
        return cur.fetchall()

    def post_run_checksums(self, run: dict | None) -> dict[str, int]:
        """What a successful run left in each v2 table, by checksum; nothing for another run."""
        if not run or run["status"] != "succeeded":
            return {}
        return {t["table_name"]: t["post_run_checksum"] for t in self.tables_of(run["run_id"])}

    def finished_models(self, run_id: int) -> set[str]:
        cur = self._cursor()
        cur.execute(f"select unique_id from {self._table('migration_run_models')} where run_id = %s", (run_id,))
        return {row[0] for row in cur.fetchall()}

    # -- writing --------------------------------------------------------------------------------
    def start(self, inputs: str, kind: str = "full") -> int:
        """A new run (kind full or incremental); returns its id."""
        cur = self._cursor()
        cur.execute(f"insert into {self._table('migration_runs')} (started_at, status, inputs_fingerprint, kind) "
                    "values (utc_timestamp(3), 'running', %s, %s)", (inputs, kind))
        return cur.lastrowid

    def resume(self, run_id: int, inputs: str, *, keep_models: bool) -> None:
        """The run goes on in another attempt; without keep_models its finished models are forgotten."""
        cur = self._cursor()
        cur.execute(f"update {self._table('migration_runs')} set status = 'running', attempts = attempts + 1, "
                    "finished_at = null, message = null, inputs_fingerprint = %s where run_id = %s", (inputs, run_id))
        if not keep_models:
            cur.execute(f"delete from {self._table('migration_run_models')} where run_id = %s", (run_id,))

    def set_tables(self, run_id: int, tables: list[tuple[str, int | None, int | None]]) -> None:
        """The v2 tables the run replaces: (table, rows before, checksum before)."""
        cur = self._cursor()
        cur.execute(f"delete from {self._table('migration_run_tables')} where run_id = %s", (run_id,))
        cur.executemany(f"insert into {self._table('migration_run_tables')} (run_id, table_name, pre_run_rows, "
                        "pre_run_checksum) values (%s, %s, %s, %s)", [(run_id, *t) for t in tables])

    def backup_taken(self, run_id: int, schema: str, rows: int, size: int, seconds: float) -> None:
        self._cursor().execute(
            f"update {self._table('migration_runs')} set backup_schema = %s, backup_completed_at = utc_timestamp(3), "
            "backup_rows = %s, backup_bytes = %s, backup_seconds = %s where run_id = %s",
            (schema, rows, size, seconds, run_id))

    def model_finished(self, run_id: int, unique_id: str) -> None:
        """Remember a finished model, for a resume. Best effort: if the record cannot be
        written (the server went away), the model is simply rebuilt next time."""
        try:
            self.conn.cursor().execute(
                f"insert ignore into {self._table('migration_run_models')} (run_id, unique_id) values (%s, %s)",
                (run_id, unique_id))
        except Exception as e:  # noqa: BLE001 - the run itself decides whether it failed
            if not self._record_warned:
                log.warning("   cannot record finished models (%s); a resume will rebuild them", type(e).__name__)
                self._record_warned = True

    def succeeded(self, run_id: int, checksums: dict[str, int], counts: dict | None = None) -> None:
        """`counts`: the run's totals (rows_loaded, rows_rejected, rows_changed) for the history."""
        cur = self._cursor()
        cur.executemany(f"update {self._table('migration_run_tables')} set post_run_checksum = %s "
                        "where run_id = %s and table_name = %s",
                        [(checksums[t["table_name"]], run_id, t["table_name"]) for t in self.tables_of(run_id)])
        counts = counts or {}
        cur.execute(f"update {self._table('migration_runs')} set status = 'succeeded', "
                    "finished_at = utc_timestamp(3), rows_loaded = %s, rows_rejected = %s, rows_changed = %s "
                    "where run_id = %s",
                    (counts.get("rows_loaded"), counts.get("rows_rejected"), counts.get("rows_changed"), run_id))

    def failed(self, run_id: int, message: str) -> None:
        self.conn.cursor().execute(
            f"update {self._table('migration_runs')} set status = 'failed', finished_at = utc_timestamp(3), "
            "message = %s where run_id = %s", (message[:1000], run_id))

    def rolled_back(self, run_id: int) -> None:
        cur = self._cursor()
        cur.execute(f"update {self._table('migration_runs')} set status = 'rolled_back', "
                    "rolled_back_at = utc_timestamp(3) where run_id = %s", (run_id,))
        cur.execute(f"delete from {self._table('migration_run_models')} where run_id = %s", (run_id,))
