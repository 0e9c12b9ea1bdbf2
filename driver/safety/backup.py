"""The backup of the v2 tables a run replaces, the restore --rollback does, and which v2 rows
this tool did not write. Set-based SQL on the v2 server; the run record is written by the
caller (safety/record.py)."""
from __future__ import annotations

import time
from dataclasses import dataclass

from driver.pg import is_postgres
from driver.reports import table_checksums
from driver.safety.record import quote


@dataclass(frozen=True)
class Backup:
    schema: str
    tables: list[tuple[str, int, int | None]]  # (table, rows, checksum) before the run
    rows: int
    bytes: int
    seconds: float

    def summary(self) -> dict:
        return {"schema": self.schema, "tables": len(self.tables), "rows": self.rows, "bytes": self.bytes,
                "seconds": self.seconds}


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    seconds: float
    differing: list[str]  # tables whose checksum after the restore is not the pre-run one


def foreign_rows(conn, v2: str, tables: list[str], ours: dict[str, int]) -> list[tuple[str, int]]:
    """v2 tables holding rows other than the content this tool's last successful run left
    there (`ours`: table -> checksum after that run), with their row counts."""
    cur = conn.cursor(buffered=True)
    found = []
    for table in tables:
        cur.execute(f"select count(*) from {quote(v2)}.{quote(table)}")
        rows = cur.fetchone()[0]
        if rows and ours.get(table) != table_checksums(conn, v2, [table])[table]:
            found.append((table, rows))
    return found


def take_backup(conn, v2: str, schema: str, tables: list[str]) -> Backup:
    """Copy every table the run replaces into the backup schema, with its row count and
    checksum, before anything is written to v2. Replaces an earlier backup there."""
    started = time.monotonic()
    cur = conn.cursor(buffered=True)
    b = quote(schema)
    pg = is_postgres(conn)
    cur.execute(f"create {'schema' if pg else 'database'} if not exists {b}")
    taken = []
    for table in tables:
        cur.execute(f"drop table if exists {b}.{quote(table)}")
        # a copy without the secondary and FULLTEXT indexes: fast to write, exact in content
        cur.execute(f"create table {b}.{quote(table)} {'' if pg else 'engine=InnoDB '}as select * from {quote(v2)}.{quote(table)}")
        cur.execute(f"select count(*) from {b}.{quote(table)}")
        rows = cur.fetchone()[0]
        taken.append((table, rows, table_checksums(conn, v2, [table])[table]))
    if pg:
        cur.execute("select coalesce(sum(pg_total_relation_size(format('%%I.%%I', schemaname, tablename))), 0) "
                    "from pg_tables where schemaname = %s", (schema,))
    else:
        cur.execute("select coalesce(sum(data_length + index_length), 0) from information_schema.tables "
                    "where table_schema = %s", (schema,))
    size = int(cur.fetchone()[0])
    return Backup(schema, taken, sum(t[1] for t in taken), size, round(time.monotonic() - started, 3))


def tables_in(conn, schema: str) -> int:
    cur = conn.cursor(buffered=True)
    cur.execute("select count(*) from information_schema.tables where table_schema = %s", (schema,))
    return cur.fetchone()[0]


def restore(conn, v2: str, schema: str, tables: list[dict], progress=None) -> Restored:
    """Put every table back as the backup holds it, each in one transaction, then compare it
    with the checksum taken before the run. `tables`: the run's migration_run_tables rows."""
    if is_postgres(conn):
        return restore_pg(conn, v2, schema, tables, progress)
    started = time.monotonic()
    cur = conn.cursor(buffered=True)
    cur.execute("set session foreign_key_checks = 0, time_zone = '+00:00', "
                "sql_mode = concat(@@session.sql_mode, ',NO_AUTO_VALUE_ON_ZERO')")
    rows = 0
    try:
        for i, t in enumerate(tables, 1):
            name = quote(t["table_name"])
            cur.execute("select column_name from information_schema.columns where table_schema = %s "
                        "and table_name = %s order by ordinal_position", (schema, t["table_name"]))
            columns = ", ".join(quote(c) for (c,) in cur.fetchall())
            conn.start_transaction()
            cur.execute(f"delete from {quote(v2)}.{name}")
            cur.execute(f"insert into {quote(v2)}.{name} ({columns}) select {columns} from {quote(schema)}.{name}")
            rows += max(cur.rowcount, 0)
            conn.commit()
            if progress:
                progress(i, len(tables), t["table_name"])
    finally:
        cur.execute("set session foreign_key_checks = 1")
    now = table_checksums(conn, v2, [t["table_name"] for t in tables])
    differing = [t["table_name"] for t in tables if now[t["table_name"]] != t["pre_run_checksum"]]
    return Restored(len(tables), rows, round(time.monotonic() - started, 3), differing)


def dependency_order(conn, v2: str, tables: list[str]) -> list[str]:
    """`tables` with every table after the tables its foreign keys point at (PostgreSQL)."""
    cur = conn.cursor()
    cur.execute("select c.relname, p.relname from pg_constraint k join pg_class c on c.oid = k.conrelid "
                "join pg_class p on p.oid = k.confrelid join pg_namespace n on n.oid = c.relnamespace "
                "where k.contype = 'f' and n.nspname = %s", (v2,))
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in cur.fetchall():
        if child in parents and parent in parents and parent != child:
            parents[child].add(parent)
    ordered, done = [], set()

    def visit(table: str, path: tuple = ()) -> None:
        if table in done or table in path:
            return
        for parent in sorted(parents[table]):
            visit(parent, path + (table,))
        done.add(table)
        ordered.append(table)
    for table in sorted(tables):
        visit(table)
    return ordered


def restore_pg(conn, v2: str, schema: str, tables: list[dict], progress=None) -> Restored:
    """PostgreSQL keeps foreign keys on (only a superuser may turn them off), so every table is
    put back in one transaction: the rows out children first, the backup's rows in parents
    first, every key checked. A restore that fails or is killed leaves v2 as it was."""
    started = time.monotonic()
    names = dependency_order(conn, v2, [t["table_name"] for t in tables])
    cur = conn.cursor()
    rows = 0
    conn.start_transaction()
    try:
        for table in reversed(names):
            cur.execute(f"delete from {quote(v2)}.{quote(table)}")
        for i, table in enumerate(names, 1):
            cur.execute("select column_name from information_schema.columns where table_schema = %s "
                        "and table_name = %s order by ordinal_position", (schema, table))
            columns = ", ".join(quote(c) for (c,) in cur.fetchall())
            cur.execute(f"insert into {quote(v2)}.{quote(table)} ({columns}) "
                        f"select {columns} from {quote(schema)}.{quote(table)}")
            rows += max(cur.rowcount, 0)
            if progress:
                progress(i, len(names), table)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    now = table_checksums(conn, v2, names)
    differing = [t["table_name"] for t in tables if now[t["table_name"]] != t["pre_run_checksum"]]
    return Restored(len(tables), rows, round(time.monotonic() - started, 3), differing)
