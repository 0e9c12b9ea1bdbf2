"""The copy of v1 into the landing schema across servers (driver/copy.py).

v1 lives on a throwaway MariaDB whose time zone is UTC+3 (a timestamp shifted by a session time
zone would show), the landing schema on the main server. Every test compares every table on both
sides by row count and CHECKSUM TABLE."""
from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time

import pytest

from driver import copy as copy_module
from driver import schema_facts
from driver.copy import copy_to_landing, copy_where, keys_where, landing_ddl
from driver.db import drop_database
from moh_dev.synthetic import generate
from moh_dev.tempserver import TempServer
from tests.conftest import RUN_ID

V1 = "old_moh"
V1_TABLES = sorted(schema_facts.columns("v1"))
# every kind of column, a table with no primary key, keys far apart
EXTRA_TABLES = ["odd_types", "keyless", "sparse"]

# v1 values a copy gets wrong when it converts anything: written with a lax sql_mode, as the
# v1 application's server may have had
AWKWARD = [
    "set session sql_mode = 'ALLOW_INVALID_DATES', time_zone = '+00:00', foreign_key_checks = 0",
    # 4-byte UTF-8, tab, newline, CR, backslash, a NUL byte, the text \N, '' in enums, a zero date,
    # a timestamp inside a DST change of most zones
    "insert into users (id, first_name, last_name, father_name, mother_name, email, gender, date_of_birth, "
    "created_at, updated_at, type) values "
    "(900001, '𝒜𝓁𝒾 🩺 محمد', 'tab\\there', 'new\\nline\\r\\n', 'back\\\\slash \\\\N', '\\\\N', '', "
    "'0000-00-00 00:00:00', '2024-03-31 02:30:00', '1970-01-01 00:00:01', ''), "
    "(900002, concat('nul', char(0), 'byte'), '', null, null, 'X@EXAMPLE.SY', 'MALE', '2023-02-30 10:00:00', "
    "'2038-01-19 03:14:07', null, 'PATIENT')",
    "update patients set average_packs_per_day = 9999999999999.99 where id = 1",
    "update patients set average_packs_per_day = -0.01 where id = 2",
    "update doctors set working_time = '{\"sat\": [\"08:00\", \"14:00\"], \"note\": \"\\\\u0645 🩺 \\\\\\\\ tab\\\\t\"}' "
    "where id = 1",
    """create table odd_types (
      id int not null primary key,
      b blob, vb varbinary(300), bt bit(5), f float, d double, dc decimal(30, 10), j json,
      e enum('A', 'B'), s set('x', 'y'), dz date, dt6 datetime(6), ts6 timestamp(6) null default null,
      tm time, yr year, l1 varchar(50) character set latin1, u text, g point null,
      twice int as (id * 2) virtual, label varchar(20) as (concat('g', id)) stored,
      positive int null check (positive > 0),
      key (dz), fulltext key (u)
    ) default charset = utf8mb4""",
    "insert into odd_types (id, b, vb, bt, f, d, dc, j, e, s, dz, dt6, ts6, tm, yr, l1, u, g) values "
    f"(0, unhex('{bytes(range(256)).hex()}'), unhex('5c0a090d005c4e'), b'10101', 16777217, 0.1, "
    "12345678901234567890.0123456789, '[1, \"x\", null]', '', '', '0000-00-00', '2024-01-02 03:04:05.123456', "
    "'2024-03-31 02:30:00.5', '-838:59:59', 2155, 'caf\\xe9', 'a\\tb\\nc\\\\d', point(1.5, -2)), "
    "(1, '', '', b'0', 3.14159274, 2.2250738585072014e-308, -0.0000000001, '{}', 'B', 'x,y', '2023-02-30', "
    "'0000-00-00 00:00:00', '1970-01-01 00:00:01', '00:00:00', 1901, '', '', null), "
    "(2, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)",
    # a row its CHECK constraint refuses, written with the checks off
    "set session check_constraint_checks = 0",
    "insert into odd_types (id, positive) values (3, -1)",
    "create table keyless (a int null, t text, key (a))",
    "insert into keyless values (null, 'n1'), (null, 'n1'), (1, 'one'), (1, 'one'), (7, null), (-3, 'neg')",
    "create table sparse (id bigint unsigned primary key, t varchar(100))",
    "insert into sparse select seq, repeat('x', seq) from seq_0_to_99",
    "insert into sparse select 1000000000000 + seq, 'far' from seq_0_to_99",
    "insert into sparse select 18446744073709551515 + seq, 'last' from seq_0_to_100",
]


def compare(v1_server, v2_server, landing: str, tables: list[str], v1: str = V1) -> list[str]:
    """Tables whose row count or CHECKSUM TABLE differ between v1 and the landing schema."""
    facts = []
    for server, database in ((v1_server, v1), (v2_server, landing)):
        conn = server.connect()
        cur = conn.cursor()
        side = {}
        for table in tables:
            cur.execute(f"select count(*) from `{database}`.`{table}`")
            rows = cur.fetchone()[0]
            cur.execute(f"checksum table `{database}`.`{table}`")
            side[table] = (rows, cur.fetchone()[1])
        conn.close()
        facts.append(side)
    return [t for t in tables if facts[0][t] != facts[1][t]]


def scalar(server, sql: str, params=()):
    conn = server.connect()
    try:
        cur = conn.cursor()
        cur.execute(sql, params)
        return cur.fetchone()[0]
    finally:
        conn.close()


def rows(server, sql: str, params=()) -> list[tuple]:
    conn = server.connect()
    try:
        cur = conn.cursor()
        cur.execute(sql, params)
        return cur.fetchall()
    finally:
        conn.close()


def execute(server, *statements: str, database: str = V1) -> None:
    conn = server.connect(database)
    try:
        cur = conn.cursor()
        for statement in statements:
            cur.execute(statement)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def v1_server(tmp_path_factory):
    server = TempServer(tmp_path_factory.mktemp("mariadb-v1"))
    server.install()
    server.start("--default-time-zone=+03:00")
    generate(server.server, V1, 300, seed=1)
    execute(server.server, *AWKWARD)
    yield server.server
    server.stop()


@pytest.fixture
def landing(server):
    name = f"t{RUN_ID}_copy_landing"
    drop_database(server, name)
    yield name
    drop_database(server, name)


def run_copy(v1_server, v2_server, landing: str, tables: list[str], v1: str = V1, **options) -> dict[str, int]:
    reader, writer = v1_server.connect(), v2_server.connect()
    try:
        return copy_to_landing(reader, writer, v1, landing, tables, 500, 100, **options)
    finally:
        reader.close()
        writer.close()


@pytest.mark.parametrize("way", ["load", "insert"])
def test_every_table_and_value_arrives_unchanged(v1_server, server, landing, way):
    tables = V1_TABLES + EXTRA_TABLES
    options = dict(servers=(v1_server, server), max_workers=2, chunk_rows=100) if way == "load" else {}
    copied = run_copy(v1_server, server, landing, tables, **options)
    assert compare(v1_server, server, landing, tables) == []
    assert copied["odd_types"] == 4 and copied["keyless"] == 6 and copied["sparse"] == 301
    assert copied["users"] == scalar(v1_server, f"select count(*) from {V1}.users")
    # the landing DDL is v1's without foreign keys, indexes in the same order
    for table in tables:
        v1_ddl = rows(v1_server, f"show create table {V1}.`{table}`")[0][1]
        landed = rows(server, f"show create table `{landing}`.`{table}`")[0][1]
        strip = lambda ddl: copy_module.re.sub(r" AUTO_INCREMENT=\d+", "", ddl)  # noqa: E731
        assert strip(landed) == strip(landing_ddl(v1_ddl)), table
    # the values a lax v1 holds, as v1 holds them
    assert rows(server, f"select gender, type, cast(date_of_birth as char), email from `{landing}`.users "
                        "where id = 900001") == [("", "", "0000-00-00 00:00:00", "\\N")]
    assert scalar(server, f"select count(*) from `{landing}`.allergies where id = 0") == 1


@pytest.mark.parametrize("way", ["load", "insert"])
def test_groups_too_long_for_the_server_are_read_row_by_row(v1_server, server, landing, monkeypatch, caplog, way):
    monkeypatch.setattr(copy_module.Copier, "_group_limit", lambda self: 250)
    tables = ["users", "odd_types", "keyless", "sparse", "appointments"]
    with caplog.at_level(logging.DEBUG, logger="driver.copy"):
        run_copy(v1_server, server, landing, tables, servers=(v1_server, server), max_workers=1, method=way)
    assert "read row by row" in caplog.text
    assert compare(v1_server, server, landing, tables) == []


def test_a_finished_copy_is_followed_by_a_fresh_one_unless_it_is_the_same_copy(v1_server, server, landing):
    tables = ["appointments", "allergies"]
    chunk_times = f"select table_name, chunk, finished_at from `{landing}`._moh_copy_chunks order by 1, 2"
    run_copy(v1_server, server, landing, tables, servers=(v1_server, server), chunk_rows=200, copy_id="run-1")
    first = rows(server, chunk_times)
    assert len(first) > 2
    run_copy(v1_server, server, landing, tables, servers=(v1_server, server), chunk_rows=200, copy_id="run-1")
    assert rows(server, chunk_times) == first  # the same copy, finished: nothing to do
    time.sleep(0.01)
    run_copy(v1_server, server, landing, tables, servers=(v1_server, server), chunk_rows=200, copy_id="run-2")
    again = rows(server, chunk_times)
    assert [r[:2] for r in again] == [r[:2] for r in first] and all(a[2] > b[2] for a, b in zip(again, first))
    assert compare(v1_server, server, landing, tables) == []


def test_copy_where_replaces_the_rows_of_some_keys(v1_server, server, landing):
    run_copy(v1_server, server, landing, ["users"], servers=(v1_server, server))
    top = scalar(v1_server, f"select max(id) from {V1}.users")
    execute(v1_server,
            "set session time_zone = '+00:00'",
            "update users set first_name = 'renamed 🩺' where id = 5",
            "delete from users where id = 6",
            f"insert into users (id, first_name, created_at) values ({top + 1}, 'new', '2025-01-01')")
    try:
        where, params = keys_where(["id"], [(5,), (6,), (top + 1,)])
        for servers in ((v1_server, server), None):
            reader, writer = v1_server.connect(), server.connect()
            copied = copy_where(reader, writer, V1, landing, "users", where, params, servers=servers)
            reader.close()
            writer.close()
            assert copied == 2
            assert compare(v1_server, server, landing, ["users"]) == []
    finally:
        execute(v1_server, f"delete from users where id = {top + 1}")


@pytest.fixture
def v1_to_kill(v1_server):
    """A larger v1 of its own, for the kill and resume test."""
    generate(v1_server, "old_moh_kill", 2000, seed=2)
    yield "old_moh_kill"
    drop_database(v1_server, "old_moh_kill")


def test_a_killed_copy_resumes_where_it_stopped(v1_server, server, landing, v1_to_kill):
    tables = V1_TABLES
    job = {"v1": [v1_server.host, v1_server.port, v1_server.user], "v2": [server.host, server.port, server.user],
           "schema": v1_to_kill, "landing": landing, "tables": tables, "workers": 1, "chunk_rows": 300}
    process = subprocess.Popen([sys.executable, "-m", "moh_dev.bench_copy", "--copy-job", json.dumps(job)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    complete = f"select count(*) from `{landing}`._moh_copy_tables where state = 'complete'"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if scalar(server, complete) >= 3:
                break
        except Exception:  # noqa: BLE001 - the bookkeeping tables are not there yet
            pass
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()

    done_before = rows(server, f"select table_name, chunk, finished_at from `{landing}`._moh_copy_chunks "
                               "where finished_at is not null order by 1, 2")
    complete_before = [t for (t,) in rows(server, f"select table_name from `{landing}`._moh_copy_tables "
                                                  "where state = 'complete' order by 1")]
    begun = {t for t, _, _ in done_before}
    not_started = [t for t in tables if t not in begun]
    assert 3 <= len(complete_before) < len(tables) and not_started

    # v1 moves on between the attempts: a finished table changes shape (it is copied again), a
    # table not copied yet (one of the smallest, copied last) gains a row (the copy takes it)
    altered, grown = complete_before[0], "password_reset_tokens"
    assert grown in not_started
    execute(v1_server, f"alter table `{altered}` add column extra_note varchar(20) null default 'added'",
            "insert into password_reset_tokens (email, token, created_at) values ('late@example.sy', 't', now())",
            database=v1_to_kill)

    copied = run_copy(v1_server, server, landing, tables, v1=v1_to_kill, servers=(v1_server, server), max_workers=2,
                      chunk_rows=300)
    assert compare(v1_server, server, landing, tables, v1=v1_to_kill) == []
    after = {(t, c): at for t, c, at in rows(server, f"select table_name, chunk, finished_at "
                                                     f"from `{landing}`._moh_copy_chunks")}
    for table, chunk, finished_at in done_before:
        if table == altered:
            assert after[(table, chunk)] > finished_at  # copied again: its DDL changed
        else:
            assert after[(table, chunk)] == finished_at, f"{table} chunk {chunk} was copied again"
    assert sum(copied.values()) == sum(scalar(v1_server, f"select count(*) from `{v1_to_kill}`.`{t}`") for t in tables)
    assert scalar(server, f"select count(*) from information_schema.columns where table_schema = %s "
                          "and table_name = %s and column_name = 'extra_note'", (landing, altered)) == 1


def test_indexes_a_killed_attempt_did_not_add_are_added_by_the_next(v1_server, server, landing):
    """Killed while adding a table's indexes (after its last chunk): the next attempt adds the
    missing ones and copies nothing again."""
    run_copy(v1_server, server, landing, ["appointments", "users"], servers=(v1_server, server), chunk_rows=500)
    chunks = f"select table_name, chunk, finished_at from `{landing}`._moh_copy_chunks order by 1, 2"
    before = rows(server, chunks)
    # the attempt died before its one ALTER TABLE (which adds all of them, or none)
    execute(server, "alter table appointments drop index idx_patient, drop index idx_doctor, drop index idx_clinic, "
            "drop index idx_medical_center, drop index idx_relation_patient, drop index idx_status, "
            "drop index idx_create_user",
            "update _moh_copy_tables set state = 'loading', finished_at = null where table_name = 'appointments'",
            "update _moh_copy set finished_at = null", database=landing)
    run_copy(v1_server, server, landing, ["appointments", "users"], servers=(v1_server, server), chunk_rows=500)
    assert rows(server, chunks) == before
    v1_ddl = rows(v1_server, f"show create table {V1}.appointments")[0][1]
    landed = rows(server, f"show create table `{landing}`.appointments")[0][1]
    strip = lambda ddl: copy_module.re.sub(r" AUTO_INCREMENT=\d+", "", ddl)  # noqa: E731
    assert strip(landed) == strip(landing_ddl(v1_ddl))
    assert compare(v1_server, server, landing, ["appointments", "users"]) == []


def test_a_failing_chunk_stops_the_copy_with_its_error(v1_server, server, landing, monkeypatch):
    """The other workers finish what they hold and take nothing more; the error is raised."""
    load = copy_module.Copier.load

    def failing(self, w, plan, **what):
        if plan.name == "visits":
            raise RuntimeError("the v2 server went away")
        return load(self, w, plan, **what)

    monkeypatch.setattr(copy_module.Copier, "load", failing)
    with pytest.raises(RuntimeError, match="went away"):
        run_copy(v1_server, server, landing, V1_TABLES, servers=(v1_server, server), max_workers=2)
    assert scalar(server, f"select count(*) from `{landing}`.visits") == 0
    assert scalar(server, f"select finished_at from `{landing}`._moh_copy") is None


def test_a_v2_server_refusing_local_files_gets_inserts(v1_server, caplog):
    """MySQL 8 ships with local_infile off: the copy then writes multi-row INSERTs, no setting
    needed. (The throwaway v1 server plays both parts here: it is the one this test may change.)"""
    landing = f"t{RUN_ID}_copy_no_local_infile"
    execute(v1_server, "set global local_infile = 0")
    try:
        with caplog.at_level(logging.INFO, logger="driver.copy"):
            run_copy(v1_server, v1_server, landing, ["users", "odd_types"], servers=(v1_server, v1_server))
        assert "(insert, 1 workers)" in caplog.text
        assert compare(v1_server, v1_server, landing, ["users", "odd_types"]) == []
        with pytest.raises(RuntimeError, match="local_infile is OFF"):
            run_copy(v1_server, v1_server, landing, ["users"], servers=(v1_server, v1_server), method="load")
    finally:
        execute(v1_server, "set global local_infile = 1")
        drop_database(v1_server, landing)
