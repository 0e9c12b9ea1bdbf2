"""make bench's PostgreSQL side: pgloader moving the v1 tables from MariaDB into PostgreSQL (the
anchor for the project's landing copy), and what the PostgreSQL limit needs to know of the
server: the catalog's column types, each value's cast to its v2 column's type, the limit's v2
schema. moh_dev.bench runs them, beside the real command into a PostgreSQL v2.

pgloader is Debian's package, a bench-only dependency (`make bench` installs it as root when
missing); without it the bench says so and records null.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from driver.db import Server
from driver.pg import PgConnection, PgServer, create_v2_schema, drop_database

# pgloader's defaults, but for what the project's landing copy does not do either: no foreign
# keys (the landing has none); v1's bigint unsigned ids as bigint (pgloader's default numeric is
# slower to write and index, and the landing copy uses bigint)
PGLOADER_COMMAND = """LOAD DATABASE
  FROM mysql://{v1_user}{v1_password}@{v1_host}:{v1_port}/{v1}
  INTO postgresql://{pg_user}{pg_password}@{pg_host}:{pg_port}/{database}
  WITH include drop, create tables, create indexes, no foreign keys
  CAST type bigint when unsigned to bigint drop typemod;
"""
STRINGS = {"text", "character varying", "character"}


# --- the limit's view of PostgreSQL --------------------------------------------------------------
def column_types(conn: PgConnection, schemas: list[str]) -> dict[str, dict[str, dict[str, str]]]:
    """{schema: {table: {column: type}}}: the catalog's types, with their length or precision
    ("character varying(255)", "timestamp(0) without time zone")."""
    cur = conn.cursor()
    cur.execute("select n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
                "from pg_attribute a join pg_class c on c.oid = a.attrelid "
                "join pg_namespace n on n.oid = c.relnamespace "
                "where n.nspname = any(%s) and c.relkind in ('r', 'v', 'm') and a.attnum > 0 "
                "and not a.attisdropped", (schemas,))
    types: dict[str, dict[str, dict[str, str]]] = {s: {} for s in schemas}
    for schema, table, column, kind in cur.fetchall():
        types[schema].setdefault(table, {})[column] = kind
    return types


def cast(expr: str, source: str, target: str) -> str:
    """expr as a value of the target type, cast where PostgreSQL needs it said: an INSERT
    converts by itself within a type (another length or precision) and between string types,
    not from text to uuid or json, nor from a number to boolean."""
    s, t = (re.sub(r"\(.*?\)", "", kind) for kind in (source, target))
    if s == t or (s in STRINGS and t in STRINGS):
        return expr
    if t == "boolean":  # v1's tinyint(1) lands as smallint, which has no cast to boolean; integer has
        return f"({expr})::integer::boolean"
    return f"({expr})::{target}"


def create_limit_schema(pg: PgServer, database: str, schema: str) -> None:
    """The v2 tables in `schema` of the run's database (PostgreSQL has no cross-database query,
    so the limit's v2 lives beside the landing copy), from the same DDL as the real v2."""
    conn = pg.connect(database)
    try:
        with conn.cursor() as cur:
            cur.execute(f'drop schema if exists "{schema}" cascade')
    finally:
        conn.close()
    create_v2_schema(pg, database, schema, replace=False)
    conn = pg.connect(database)
    try:
        with conn.cursor() as cur:
            for statement in _relaxations(cur, schema):
                cur.execute(statement)
    finally:
        conn.close()


def _relaxations(cur, schema: str) -> list[str]:
    """The limit moves every row its SELECT gives, as MariaDB's INSERT IGNORE does (a NULL in a
    NOT NULL column is stored as the type's zero, an enum value v2 lacks as ''). PostgreSQL has
    no such statement, so the limit's v2 drops its CHECK constraints and the NOT NULL of columns
    outside primary keys; keys, indexes and foreign keys stay as the DDL makes them."""
    cur.execute("select c.relname, con.conname from pg_constraint con join pg_class c on c.oid = con.conrelid "
                "join pg_namespace n on n.oid = c.relnamespace where n.nspname = %s and con.contype = 'c'", (schema,))
    out = [f'alter table "{schema}"."{t}" drop constraint "{name}"' for t, name in cur.fetchall()]
    cur.execute("select c.relname, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid "
                "join pg_namespace n on n.oid = c.relnamespace where n.nspname = %s and c.relkind = 'r' "
                "and a.attnum > 0 and a.attnotnull and not exists (select 1 from pg_index i "
                "where i.indrelid = c.oid and i.indisprimary and a.attnum = any(i.indkey))", (schema,))
    out += [f'alter table "{schema}"."{t}" alter column "{column}" drop not null' for t, column in cur.fetchall()]
    return out


def limit_connection(pg: PgServer, database: str) -> PgConnection:
    """A session with foreign key checks off, as the MariaDB limit's (foreign_key_checks = 0):
    v1's orphan references would stop its INSERTs. session_replication_role = replica turns off
    the triggers that check them, for this session only; it takes a superuser, so moh-migrate
    (which must not assume one) keeps them on and loads parents first."""
    conn = PgConnection(pg.connect(database))
    conn.cursor().execute("set session_replication_role = replica")
    return conn


def table_rows(pg: PgServer, database: str, schema: str, tables: list[str] | None = None) -> int:
    """The rows of `tables` (every table when None) of a schema, counted."""
    conn = pg.connect(database)
    try:
        with conn.cursor() as cur:
            if tables is None:
                cur.execute("select tablename from pg_tables where schemaname = %s", (schema,))
                tables = [t for (t,) in cur.fetchall()]
            total = 0
            for table in tables:
                cur.execute(f'select count(*) from "{schema}"."{table}"')
                total += cur.fetchone()[0]
            return total
    finally:
        conn.close()


# --- pgloader ------------------------------------------------------------------------------------
PGLOADER_MISSING = "pgloader is not installed (Debian package pgloader; make bench installs it as root)"


def pgloader_version() -> str | None:
    """pgloader's version line, None when it is not installed."""
    if not shutil.which("pgloader"):
        return None
    out = subprocess.run(["pgloader", "--version"], capture_output=True, text=True).stdout
    return (out.splitlines() or ["unknown version"])[0]


def command_text(server: Server, pg: PgServer, v1: str, database: str) -> str:
    """pgloader's command file; passwords stay in the environment (pgloader fills {{NAME}})."""
    return PGLOADER_COMMAND.format(
        v1_user=server.user, v1_password=":{{MOH_DB_PASSWORD}}" if server.password else "",
        v1_host=server.host, v1_port=server.port, v1=v1,
        pg_user=pg.user, pg_password=":{{MOH_PG_PASSWORD}}" if pg.password else "",
        pg_host=pg.host, pg_port=pg.port, database=database)


def run_pgloader(server: Server, pg: PgServer, v1: str, database: str, v1_rows: int) -> dict:
    """pgloader moves every table of v1 into a fresh PostgreSQL database (dropped after), timed
    from start to exit. Its rows are counted in PostgreSQL and checked against v1's."""
    drop_database(pg, database)
    admin = pg.connect("postgres")
    try:
        with admin.cursor() as cur:
            cur.execute(f"create database \"{database}\" encoding 'UTF8' template template0")
    finally:
        admin.close()
    text = command_text(server, pg, v1, database)
    with tempfile.TemporaryDirectory(prefix="moh-bench-pgloader-") as tmp:
        (Path(tmp) / "load.pgl").write_text(text)
        env = dict(os.environ, MOH_DB_PASSWORD=server.password, MOH_PG_PASSWORD=pg.password)
        started = time.monotonic()
        done = subprocess.run(["pgloader", "--root-dir", tmp, "--summary", f"{tmp}/summary.txt", f"{tmp}/load.pgl"],
                              capture_output=True, text=True, env=env)
        seconds = time.monotonic() - started
        reported = _reported_rows(Path(tmp) / "summary.txt")
    try:
        if done.returncode != 0:  # not its log: it quotes the rows it refused
            raise SystemExit(f"pgloader exited {done.returncode}; to see why, run it by hand on:\n{text}")
        rows = table_rows(pg, database, v1)  # pgloader's schema is named after the MySQL database
    finally:
        drop_database(pg, database)
    if rows != v1_rows:
        print(f"pgloader moved {rows} rows of v1's {v1_rows}: its rows per second are not comparable",
              file=sys.stderr)
    return {"seconds": round(seconds, 2), "rows": rows, "v1_rows": v1_rows, "rows_reported": reported,
            "rows_per_second": round(rows / seconds), "command": text}


def _reported_rows(summary: Path) -> int | None:
    """The rows on the "Total import time" line of pgloader's summary."""
    try:
        for line in summary.read_text().splitlines():
            if line.strip().startswith("Total import time"):
                return int(line.split("time", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None
