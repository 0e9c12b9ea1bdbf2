"""The landing copy into PostgreSQL: every v1 row arrives with every value as v1 holds it
(4-byte UTF-8, tabs, newlines, backslashes, ids of 0, timestamps without a shift), v1's column
facts and keys are kept beside it, a copy killed halfway resumes with what it committed, values
PostgreSQL cannot hold arrive as markers (a NUL, a date with a zero part) or stop the copy with
one line naming table and column (an integer beyond bigint)."""
import datetime
import decimal

import pytest

from driver.connections import table_names
from driver.db import drop_database
from driver.pg import drop_database as pg_drop_database
from driver.pg_copy import CopyRefused, copy_to_pg_landing
from moh_dev.synthetic import generate
from tests.conftest import RUN_ID

LANDING = "new_moh_v1_landing"


@pytest.fixture(scope="module")
def v1(server):
    name = f"t{RUN_ID}_pgcopy_v1"
    generate(server, name, 200, 1)
    conn = server.connect(name)
    cur = conn.cursor()
    # values that test the format: tab, newline, carriage return, backslash, \N spelled out
    cur.execute("update users set first_name = concat('a\\tb\\nc\\rd\\\\e\\\\N', char(0x1F600 using utf32)) "
                "where id = (select min(id) from (select id from users) u)")
    conn.close()
    yield name
    drop_database(server, name)


@pytest.fixture
def pg_db(pg_server):
    name = f"t{RUN_ID}_pgcopy"
    pg_drop_database(pg_server, name)
    admin = pg_server.connect("postgres")
    admin.cursor().execute(f'create database "{name}"')
    admin.close()
    from dataclasses import replace
    yield replace(pg_server, database=name)
    pg_drop_database(pg_server, name)


def normal(value):
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return value.decode()
    if isinstance(value, bool):
        return str(int(value))
    return None if value is None else str(value)


def mysql_rows(server, schema, table):
    conn = server.connect(schema)
    cur = conn.cursor()
    cur.execute("set session time_zone = '+00:00'")
    cur.execute(f"select * from `{table}`")
    rows = sorted((tuple(normal(v) for v in r) for r in cur.fetchall()), key=repr)
    conn.close()
    return rows


def pg_rows(pg, table):
    conn = pg.connect()
    with conn.cursor() as cur:
        cur.execute(f'select * from "{LANDING}"."{table}"')
        rows = sorted((tuple(normal(v) for v in r) for r in cur.fetchall()), key=repr)
    conn.close()
    return rows


def tables_of(server, schema):
    conn = server.connect(schema)
    try:
        return sorted(table_names(conn, schema))
    finally:
        conn.close()


def test_every_row_and_value_arrives_and_v1_facts_are_kept(server, v1, pg_db):
    tables = tables_of(server, v1)
    copied = copy_to_pg_landing(server, v1, pg_db, LANDING, tables, max_workers=2)
    assert len(tables) == 63 and sum(copied.values()) > 4000
    for table in tables:
        assert pg_rows(pg_db, table) == mysql_rows(server, v1, table), table
    conn = pg_db.connect()
    with conn.cursor() as cur:
        cur.execute(f'select column_type, is_nullable, column_key from "{LANDING}"._moh_copy_columns '
                    "where table_name = 'users' and column_name in ('id', 'type') order by column_name")
        (id_type, id_null, id_key), (type_type, type_null, _) = cur.fetchall()
        assert id_type.startswith("bigint") and id_type.endswith("unsigned") and (id_null, id_key) == ("NO", "PRI")
        assert type_type == "enum('SUPER_ADMIN','DOCTOR','PATIENT','NURSE','SECRETARY')" and type_null == "YES"
        cur.execute("select count(*) from pg_indexes where schemaname = %s and tablename = 'users' "
                    "and indexdef like '%%UNIQUE%%'", (LANDING,))
        assert cur.fetchone()[0] >= 1  # the primary key at least
    conn.close()


def test_a_killed_copy_resumes_with_what_it_committed(server, v1, pg_db):
    tables = ["appointments", "visits", "patients"]
    seen = []

    def progress(table, done, total):
        seen.append(table)
        if len(seen) == 3:
            raise KeyboardInterrupt  # the process dies between two chunks

    with pytest.raises(KeyboardInterrupt):
        copy_to_pg_landing(server, v1, pg_db, LANDING, tables, max_workers=1, progress=progress, chunk_rows=50)
    conn = pg_db.connect()
    with conn.cursor() as cur:
        cur.execute(f'select count(*) from "{LANDING}"._moh_copy_chunks where rows_copied is not null')
        committed = cur.fetchone()[0]
    conn.close()
    assert committed >= 3
    resumed = copy_to_pg_landing(server, v1, pg_db, LANDING, tables, max_workers=2, chunk_rows=50)
    for table in tables:
        assert pg_rows(pg_db, table) == mysql_rows(server, v1, table), table
        assert resumed[table] == len(mysql_rows(server, v1, table))


def test_values_postgresql_cannot_hold_arrive_as_markers_or_are_named(server, v1, pg_db):
    """A NUL character arrives as U+FFFF and a date with a zero part as a day of January 4713 BC
    telling which parts were 0 (the dbt project handles both by the unstorable_values policy);
    an unsigned bigint beyond PostgreSQL's bigint stops the copy with one line naming table and
    column."""
    conn = server.connect(v1)
    cur = conn.cursor()
    cur.execute("set session sql_mode = ''")
    cur.execute("create table odd_values (id int primary key, note varchar(20), born date, seen datetime)")
    cur.execute("insert into odd_values values (1, concat('a', char(0), 'b'), '0000-00-00', '2020-05-00 10:00:00'), "
                "(2, 'plain', '0000-03-04', '2021-01-02 03:04:05'), (3, null, '2020-00-07', null)")
    cur.execute("create table huge_ids (id bigint unsigned primary key)")
    cur.execute("insert into huge_ids values (9223372036854775808)")
    conn.close()
    try:
        copy_to_pg_landing(server, v1, pg_db, LANDING, ["odd_values"], max_workers=1)
        conn = pg_db.connect()
        with conn.cursor() as cur:  # as text: Python's dates have no year before 1
            cur.execute(f'select id::text, note, born::text, seen::text from "{LANDING}".odd_values order by id')
            found = cur.fetchall()
        conn.close()
        assert found == [
            ("1", "a\uffffb", "4713-01-08 BC", "4713-01-02 00:00:00 BC"),
            ("2", "plain", "4713-01-05 BC", "2021-01-02 03:04:05"),
            ("3", None, "4713-01-03 BC", None)], found
        with pytest.raises(CopyRefused, match=r"v1 table huge_ids(\.id)? holds a value PostgreSQL cannot store"):
            copy_to_pg_landing(server, v1, pg_db, LANDING, ["huge_ids"], max_workers=1)
    finally:
        conn = server.connect(v1)
        conn.cursor().execute("drop table odd_values, huge_ids")
        conn.close()
