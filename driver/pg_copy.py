"""v1 (MySQL/MariaDB) into a landing schema of the PostgreSQL v2 database, so dbt runs on one
server. v1 lives on another server by definition when v2 is PostgreSQL.

How, and why (see driver/copy.py for the MySQL-to-MySQL copy it shares its reading side with):
- The v1 server formats the rows: one query per range of keys returns the range as one value
  already in COPY's text format (tab-separated, backslash escapes, \\N for NULL). The driver never
  parses a row; it hands those bytes to `COPY ... FROM STDIN` (psycopg2's copy_expert) through a
  file-like object that reads the next block when PostgreSQL asks for more: a block or two in
  memory at a time, whatever the table's size.
- Landing tables get PostgreSQL types that hold every v1 value of their column as it is
  (integers, numerics, text, timestamps without time zone; enums as varchar), no foreign keys,
  their primary key and indexes after their rows. v1's own column types, nullability and keys
  are kept in `_moh_copy_columns` and `_moh_copy_keys`, so the dbt project compares v1 with v2
  from the same facts as on MySQL (macros/introspection.sql, postgres__table_columns).
- A NUL character and a date with a zero part, which PostgreSQL refuses, arrive as markers
  (see Column.pg_tsv) that the dbt project treats as values v2 cannot store, by the
  unstorable_values policy, as the dry run does. An integer beyond bigint has no marker: the
  dry run lists it (v2's bigint is signed) and the copy stops before anything is written to
  v2, with one line naming table and column.
- A table is split in chunks by ranges of its integer key; a chunk is loaded in one transaction
  together with its line in `_moh_copy_chunks`, so a killed copy resumes at the first chunk that
  was not committed (when v1's DDL of the table is unchanged). `max_workers` threads load chunks
  at once, each with its own pair of connections, the largest tables first.
"""
from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from dataclasses import dataclass

from driver.copy import CHUNK_ROWS, READ_SESSION, TablePlan, read_blocks, read_plans

log = logging.getLogger(__name__)

COPY, TABLES, CHUNKS, COLUMNS, KEYS = ("_moh_copy", "_moh_copy_tables", "_moh_copy_chunks", "_moh_copy_columns",
                                       "_moh_copy_keys")
GROUP_LIMIT = 64 << 20  # group_concat_max_len on the v1 side: a block at most this large


class CopyRefused(Exception):
    """v1 holds a value PostgreSQL cannot store: the message names table, column and why."""


def qi(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_type(data_type: str, column_type: str) -> str:
    """The PostgreSQL type of a landing column: every value of the v1 column fits as it is."""
    t, ct = data_type.lower(), column_type.lower()
    unsigned = "unsigned" in ct
    inner = ct.split("(", 1)[1].split(")", 1)[0] if "(" in ct else ""
    if t in ("tinyint", "smallint"):
        return "integer" if unsigned and t == "smallint" else "smallint"
    if t in ("mediumint", "int", "integer"):
        return "bigint" if unsigned else "integer"
    if t == "bigint":
        return "bigint"  # unsigned values above 2^63 - 1 are refused by the copy (named)
    if t in ("decimal", "numeric"):
        return f"numeric({inner})" if inner else "numeric"
    if t in ("float", "double", "real"):
        return "double precision"
    if t in ("char", "varchar"):
        return f"varchar({inner})"
    if t in ("tinytext", "text", "mediumtext", "longtext", "json", "set"):
        return "text"
    if t == "enum":
        return "varchar(255)"
    if t == "date":
        return "date"
    if t in ("datetime", "timestamp"):
        return "timestamp(6) without time zone"
    if t == "time":
        return "time"
    if t == "year":
        return "smallint"
    raise CopyRefused(f"v1 column type {column_type} has no PostgreSQL landing type")


@dataclass
class V1Facts:
    columns: dict[str, list[tuple]]   # table -> [(name, data_type, column_type, nullable, key)]
    keys: dict[str, dict[str, tuple]]  # table -> {index: (non_unique, [columns])}


def read_v1_facts(reader, v1_schema: str, tables: list[str]) -> V1Facts:
    cur = reader.cursor()
    cur.execute("select table_name, column_name, data_type, column_type, is_nullable, column_key, extra "
                "from information_schema.columns where table_schema = %s order by table_name, ordinal_position",
                (v1_schema,))
    columns: dict[str, list[tuple]] = {t: [] for t in tables}
    for table, name, data_type, column_type, nullable, key, extra in cur.fetchall():
        if table in columns:
            columns[table].append((name, data_type.lower(), column_type, nullable == "YES", key or ""))
    cur.execute("select table_name, index_name, non_unique, column_name from information_schema.statistics "
                "where table_schema = %s and index_type = 'BTREE' order by table_name, index_name, seq_in_index",
                (v1_schema,))
    keys: dict[str, dict[str, tuple]] = {t: {} for t in tables}
    for table, index, non_unique, column in cur.fetchall():
        if table in keys:
            keys[table].setdefault(index, (int(non_unique), []))[1].append(column)
    cur.close()
    return V1Facts(columns, keys)


def _bookkeeping(cur, landing: str) -> None:
    L = qi(landing)
    cur.execute(f"create schema if not exists {L}")
    cur.execute(f"create table if not exists {L}.{COPY} (id smallint primary key, copy_id varchar(64) not null, "
                "started_at timestamp(3), finished_at timestamp(3))")
    cur.execute(f"create table if not exists {L}.{TABLES} (table_name varchar(64) primary key, ddl_sha1 char(40) not null, "
                "chunks integer not null, state varchar(16) not null, rows_copied bigint, started_at timestamp(3), "
                "finished_at timestamp(3))")
    cur.execute(f"create table if not exists {L}.{CHUNKS} (table_name varchar(64) not null, chunk integer not null, "
                "lo numeric(20), hi numeric(20), rows_copied bigint, seconds double precision, finished_at timestamp(3), "
                "primary key (table_name, chunk))")
    # v1's own column facts and keys, as MySQL's information_schema tells them
    cur.execute(f"create table if not exists {L}.{COLUMNS} (table_name varchar(64) not null, column_name varchar(64) not null, "
                "ordinal integer not null, column_type text not null, is_nullable varchar(3) not null, "
                "column_key varchar(3) not null, primary key (table_name, column_name))")
    cur.execute(f"create table if not exists {L}.{KEYS} (table_name varchar(64) not null, index_name varchar(64) not null, "
                "non_unique smallint not null, seq integer not null, column_name varchar(64) not null, "
                "primary key (table_name, index_name, seq))")


def landing_ddl(landing: str, table: str, columns: list[tuple]) -> str:
    cols = ", ".join(f"{qi(name)} {pg_type(dt, ct)}" + ("" if nullable else " not null")
                     for name, dt, ct, nullable, _ in columns)
    return f"create table {qi(landing)}.{qi(table)} ({cols})"


def index_ddl(landing: str, table: str, keys: dict[str, tuple]) -> list[str]:
    """The primary key and the indexes of the v1 table, named after their table (PostgreSQL's
    index names are per schema)."""
    out = []
    for index, (non_unique, cols) in sorted(keys.items(), key=lambda kv: kv[0] != "PRIMARY"):
        columns = ", ".join(qi(c) for c in cols)
        if index == "PRIMARY":
            out.append(f"alter table {qi(landing)}.{qi(table)} add primary key ({columns})")
        else:
            name = qi(f"{table}__{index}"[:63])
            out.append(f"create {'' if non_unique else 'unique '}index {name} on {qi(landing)}.{qi(table)} ({columns})")
    return out


class BlockStream:
    """A file-like object over blocks of COPY text: read(n) as psycopg2's copy_expert asks."""

    def __init__(self, blocks):
        self.blocks, self.buffer, self.rows = blocks, memoryview(b""), 0

    def read(self, size: int = -1) -> bytes:
        while not self.buffer:
            try:
                rows, payload = next(self.blocks)
            except StopIteration:
                return b""
            self.rows += rows
            self.buffer = memoryview(payload)
        size = len(self.buffer) if size is None or size < 0 else size
        piece, self.buffer = self.buffer[:size], self.buffer[size:]
        return piece.tobytes()

    readline = read


def _explain(error, table: str) -> str:
    """One line for a value PostgreSQL refused (the value itself is never shown)."""
    diag = getattr(error, "diag", None)
    text = (getattr(diag, "message_primary", None) or str(error)).splitlines()[0]
    context = getattr(diag, "context", None) or ""
    column = ""
    if ", column " in context:
        column = "." + context.split(", column ", 1)[1].split(":", 1)[0].strip()
    kind = text.split(":")[0]
    return (f"v1 table {table}{column} holds a value PostgreSQL cannot store ({kind}); "
            f"correct it in v1 (or migrate into MySQL/MariaDB)")


class PgCopier:
    def __init__(self, v1_server, pg_server, v1_schema: str, landing: str, max_workers: int, batch_size: int,
                 progress=None):
        self.v1_server, self.pg_server = v1_server, pg_server
        self.v1_schema, self.landing = v1_schema, landing
        self.max_workers, self.batch_size, self.progress = max(1, max_workers), batch_size, progress
        self.local = threading.local()
        self.lock = threading.Lock()
        self.connections: list = []
        self.pending: dict[str, int] = {}
        self.done_rows: dict[str, int] = {}

    def pair(self):
        p = getattr(self.local, "pair", None)
        if p is None:
            reader = self.v1_server.connect(None)
            cur = reader.cursor()
            cur.execute(READ_SESSION.format(limit=GROUP_LIMIT))
            cur.execute("set session transaction isolation level repeatable read")
            cur.close()
            writer = self.pg_server.connect(autocommit=False)
            p = self.local.pair = (reader, writer)
            with self.lock:
                self.connections.extend(p)
        return p

    def drop_pair(self) -> None:
        p = getattr(self.local, "pair", None)
        if p:
            for conn in p:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass
            self.local.pair = None

    def close(self) -> None:
        for conn in self.connections:
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass

    def copy_chunk(self, plan: TablePlan, index: int, facts: V1Facts) -> None:
        started = time.monotonic()
        reader, writer = self.pair()
        L = qi(self.landing)
        columns = ", ".join(qi(c.name) for c in plan.columns)
        stream = BlockStream(read_blocks(reader, self.v1_schema, plan, "pg", GROUP_LIMIT, self.batch_size,
                                         span=plan.chunks[index]))
        try:
            with writer.cursor() as cur:
                cur.copy_expert(f"copy {L}.{qi(plan.name)} ({columns}) from stdin", stream)
                loaded = cur.rowcount
                if loaded != stream.rows:
                    raise RuntimeError(f"copy of {plan.name}: {stream.rows} rows read from v1, {loaded} loaded")
                cur.execute(f"update {L}.{CHUNKS} set rows_copied = %s, seconds = %s, finished_at = now() "
                            "where table_name = %s and chunk = %s",
                            (loaded, round(time.monotonic() - started, 3), plan.name, index))
            writer.commit()
        except BaseException as e:
            self.drop_pair()
            import psycopg2
            if isinstance(e, psycopg2.DataError):
                raise CopyRefused(_explain(e, plan.name)) from None
            raise
        self.chunk_done(plan, loaded, facts)

    def chunk_done(self, plan: TablePlan, rows: int, facts: V1Facts) -> None:
        with self.lock:
            self.pending[plan.name] -= 1
            self.done_rows[plan.name] += rows
            last = self.pending[plan.name] == 0
            if self.progress and not last:
                self.progress(plan.name, self.done_rows[plan.name], max(plan.rows, self.done_rows[plan.name]))
        if last:
            self.finish_table(plan, facts)

    def finish_table(self, plan: TablePlan, facts: V1Facts) -> None:
        """The table's keys and indexes, built once its rows are in; statistics; complete."""
        _, writer = self.pair()
        L = qi(self.landing)
        with writer.cursor() as cur:
            cur.execute("select count(*) from pg_indexes where schemaname = %s and tablename = %s",
                        (self.landing, plan.name))
            if cur.fetchone()[0] == 0:  # an attempt killed while indexing rolled its indexes back
                for statement in index_ddl(self.landing, plan.name, facts.keys.get(plan.name, {})):
                    cur.execute(statement)
            cur.execute(f"analyze {L}.{qi(plan.name)}")
            cur.execute(f"update {L}.{TABLES} t set state = 'complete', finished_at = now(), "
                        f"rows_copied = (select coalesce(sum(rows_copied), 0) from {L}.{CHUNKS} c "
                        "where c.table_name = t.table_name) where table_name = %s", (plan.name,))
        writer.commit()
        if self.progress:
            self.progress(plan.name, self.done_rows[plan.name], self.done_rows[plan.name])
        log.info("copied %s: %d rows", plan.name, self.done_rows[plan.name])


def _sha(plan: TablePlan, columns: list[tuple]) -> str:
    text = plan.sha + repr(columns)
    return hashlib.sha1(text.encode()).hexdigest()


def copy_to_pg_landing(v1_server, v1_schema: str, pg_server, landing: str, tables: list[str], *,
                       batch_size: int = 5000, max_workers: int = 2, progress=None, resume: bool = True,
                       copy_id: str | None = None, chunk_rows: int = CHUNK_ROWS) -> dict[str, int]:
    """Copy `tables` of `v1_schema` (MySQL/MariaDB) into schema `landing` of the PostgreSQL
    database of `pg_server`. Returns rows copied per table. Resuming follows copy_to_landing
    (driver/copy.py): an unfinished copy (or one with the same copy_id) keeps what it committed."""
    started = time.monotonic()
    admin = pg_server.connect(autocommit=False)
    reader = v1_server.connect(None)
    copier = PgCopier(v1_server, pg_server, v1_schema, landing, max_workers, batch_size, progress)
    L = qi(landing)
    try:
        facts = read_v1_facts(reader, v1_schema, tables)
        plans = read_plans(reader, v1_schema, tables, chunk_rows)
        for plan in plans:  # a type the copy cannot carry stops it before anything is written
            for c in plan.columns:
                c.pg_tsv()
            for name, dt, ct, _, _ in facts.columns[plan.name]:
                pg_type(dt, ct)
        with admin.cursor() as cur:
            cur.execute("select pg_advisory_xact_lock(hashtext(%s))", ("moh-migrate copy:" + landing,))
            _bookkeeping(cur, landing)
            cur.execute(f"select copy_id, finished_at from {L}.{COPY} where id = 1")
            last = cur.fetchone()
            continuing = bool(resume and last and (last[0] == copy_id if copy_id else last[1] is None))
            kept: dict[str, dict] = {}
            # landing tables an earlier copy made with the same columns: emptied and refilled in
            # place, so the work schema's views on them (a resumed run keeps those) stay valid
            cur.execute(f"select t.table_name, t.ddl_sha1 from {L}.{TABLES} t "
                        "join pg_tables p on p.schemaname = %s and p.tablename = t.table_name", (landing,))
            reusable = dict(cur.fetchall())
            if continuing:
                cur.execute(f"select t.table_name, t.ddl_sha1, t.state from {L}.{TABLES} t "
                            "join pg_tables p on p.schemaname = %s and p.tablename = t.table_name", (landing,))
                kept = {t: {"sha": sha, "state": state} for t, sha, state in cur.fetchall()}
                cur.execute(f"select table_name, chunk, lo, hi, rows_copied from {L}.{CHUNKS} order by table_name, chunk")
                for table, _, lo, hi, rows in cur.fetchall():
                    if table in kept:
                        kept[table].setdefault("chunks", []).append(
                            (None if lo is None else int(lo), None if hi is None else int(hi)))
                        kept[table].setdefault("rows", []).append(rows)
            else:
                cur.execute(f"delete from {L}.{CHUNKS}; delete from {L}.{TABLES}; delete from {L}.{COLUMNS}; "
                            f"delete from {L}.{KEYS}; delete from {L}.{COPY}")
                cur.execute(f"insert into {L}.{COPY} (id, copy_id, started_at) values (1, %s, now())", (copy_id or "",))
            units = []
            finish_only = []
            for plan in plans:
                table, columns = plan.name, facts.columns[plan.name]
                sha = _sha(plan, columns)
                k = kept.get(table)
                if k and k["sha"] == sha and k.get("chunks"):
                    plan.chunks = k["chunks"]
                    todo = [i for i, rows in enumerate(k["rows"]) if rows is None]
                    copier.done_rows[table] = sum(r or 0 for r in k["rows"])
                    log.info("copy %s: %d of %d chunks kept from the interrupted copy", table,
                             len(plan.chunks) - len(todo), len(plan.chunks))
                    if not todo and k["state"] != "complete":
                        finish_only.append(plan)
                else:
                    if reusable.get(table) == sha:
                        cur.execute(f"truncate {L}.{qi(table)}")
                        cur.execute(f"alter table {L}.{qi(table)} drop constraint if exists {qi(table + '_pkey')}")
                        cur.execute("select indexname from pg_indexes where schemaname = %s and tablename = %s",
                                    (landing, table))
                        for (index,) in cur.fetchall():
                            cur.execute(f"drop index {L}.{qi(index)}")
                    else:
                        # a new or changed table: the work schema's views on it go (dbt makes them again)
                        cur.execute(f"drop table if exists {L}.{qi(table)} cascade")
                        cur.execute(landing_ddl(landing, table, columns))
                    cur.execute(f"delete from {L}.{CHUNKS} where table_name = %s", (table,))
                    cur.execute(f"delete from {L}.{COLUMNS} where table_name = %s", (table,))
                    cur.execute(f"delete from {L}.{KEYS} where table_name = %s", (table,))
                    cur.execute(f"insert into {L}.{TABLES} (table_name, ddl_sha1, chunks, state, started_at) "
                                "values (%s, %s, %s, 'loading', now()) on conflict (table_name) do update set "
                                "ddl_sha1 = excluded.ddl_sha1, chunks = excluded.chunks, state = 'loading', "
                                "rows_copied = null, started_at = now(), finished_at = null",
                                (table, sha, len(plan.chunks)))
                    cur.executemany(f"insert into {L}.{CHUNKS} (table_name, chunk, lo, hi) values (%s, %s, %s, %s)",
                                    [(table, i, lo, hi) for i, (lo, hi) in enumerate(plan.chunks)])
                    cur.executemany(f"insert into {L}.{COLUMNS} (table_name, column_name, ordinal, column_type, "
                                    "is_nullable, column_key) values (%s, %s, %s, %s, %s, %s)",
                                    [(table, name, i, ct, "YES" if nullable else "NO", key)
                                     for i, (name, _, ct, nullable, key) in enumerate(columns, 1)])
                    cur.executemany(f"insert into {L}.{KEYS} (table_name, index_name, non_unique, seq, column_name) "
                                    "values (%s, %s, %s, %s, %s)",
                                    [(table, index, nu, i, c) for index, (nu, cols) in facts.keys[table].items()
                                     for i, c in enumerate(cols, 1)])
                    todo = list(range(len(plan.chunks)))
                    copier.done_rows[table] = 0
                copier.pending[table] = len(todo)
                units.extend((-(plan.rows * (len(plan.chunks) - i) / len(plan.chunks)), plan.name, i, plan)
                             for i in todo)
        admin.commit()
        work: queue.PriorityQueue = queue.PriorityQueue()
        for unit in sorted(units, key=lambda u: (u[0], u[1], u[2])):
            work.put(unit)
        errors: list[BaseException] = []

        def worker() -> None:
            while not errors:
                try:
                    _, _, index, plan = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    copier.copy_chunk(plan, index, facts)
                except BaseException as e:  # noqa: BLE001 - raised below
                    errors.append(e)

        threads = [threading.Thread(target=worker, name=f"pg-copy-{i}", daemon=True)
                   for i in range(min(copier.max_workers, max(1, len(units))))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        for plan in finish_only:
            copier.finish_table(plan, facts)
        for plan in plans:  # a table with no chunk left to copy and complete: nothing to do
            pass
        with admin.cursor() as cur:
            cur.execute(f"update {L}.{COPY} set finished_at = now() where id = 1")
        admin.commit()
    finally:
        copier.close()
        reader.close()
        admin.close()
    log.info("copy to PostgreSQL: %d rows in %d tables, %.1fs (%d workers)", sum(copier.done_rows.values()),
             len(tables), time.monotonic() - started, copier.max_workers)
    return {t: copier.done_rows.get(t, 0) for t in tables}
