"""PostgreSQL 15 as v2, end to end with the moh-migrate command: the generator's v1 (with every
edge case) on MariaDB, migrated once into a MariaDB v2 and once into a PostgreSQL v2 made from
driver/schemas/v2_postgres.sql. The two give the same rows per table, the same patient UUIDs,
crosswalks and exceptions; every dbt test passes; every sequence is past its table's highest
id; v2's DDL is untouched; a dry run writes nothing to PostgreSQL; --rollback restores; a second
run waits for the lock; bad inputs get one line and their exit status. Skipped, with the reason,
only where no PostgreSQL can be used (`make test` starts one)."""
from __future__ import annotations

import csv
import json
import signal
import subprocess
from dataclasses import replace

import pytest
import yaml

from driver.pg import create_v2_schema, drop_database
from driver.safety.lock import lock_name
from tests.conftest import RUN_ID, TEST_SECRET, V2_APP_MIGRATIONS, make_env
from tests.live_changes import change_v1_like_a_live_application
from driver.reports import table_checksums
from tests.runs import command, config_for, last_line, run_cli, wait_for

# slow: one chain of about ten runs, one of them killed on purpose (the longest file of the suite)
pytestmark = pytest.mark.slow
PATIENTS = 250


def pg_url(pg, database, user=None, password=None, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    auth = f"{user or pg.user}" + (f":{password}" if password else "")
    return f"postgresql://{auth}@{pg.host}:{pg.port}/{database}" + (f"?{query}" if query else "")


def pg_config(env, pg, database, directory, **extra):
    data = {"old_db_url": f"mysql://root@{env.server.host}:{env.server.port}/{env.v1}",
            "new_db_url": pg_url(pg, database), "patient_uuid_secret": TEST_SECRET, **extra}
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def pg_rows(pg, sql, params=None):
    conn = pg.connect()
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()


def catalog(pg):
    """v2's DDL as PostgreSQL's catalog tells it: columns, types, defaults, constraints, indexes."""
    return (pg_rows(pg, """select table_name, column_name, data_type, is_nullable, column_default, ordinal_position
                           from information_schema.columns where table_schema = 'public' order by 1, 6"""),
            pg_rows(pg, """select rel.relname, con.conname, pg_get_constraintdef(con.oid) from pg_constraint con
                           join pg_class rel on rel.oid = con.conrelid join pg_namespace n on n.oid = rel.relnamespace
                           where n.nspname = 'public' order by 1, 2"""),
            pg_rows(pg, "select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2"))


def schemas_and_counts(pg):
    schemas = pg_rows(pg, "select nspname from pg_namespace where nspname not like 'pg\\_%' "
                          "and nspname <> 'information_schema' order by 1")
    counts = {t: pg_rows(pg, f'select count(*) from public."{t}"')[0][0]
              for (t,) in pg_rows(pg, "select tablename from pg_tables where schemaname = 'public'")}
    return schemas, counts


def new_pg_v2(pg_server, database):
    """An empty PostgreSQL v2 with the v2 application's own migration history, its ids from the
    sequence as the application takes them."""
    create_v2_schema(pg_server, database)
    pg = replace(pg_server, database=database)
    seeds = ", ".join(f"('2025_01_01_{i:06d}_v2_migration', 1)" for i in range(1, V2_APP_MIGRATIONS + 1))
    conn = pg.connect()
    conn.cursor().execute(f"insert into public.migrations (migration, batch) values {seeds}")
    conn.close()
    return pg


@pytest.fixture(scope="module")
def runs(server, pg_server, tmp_path_factory):
    """The same v1 migrated into MariaDB and into PostgreSQL (a dry run first)."""
    directory = tmp_path_factory.mktemp("postgres")
    env = make_env(server, directory, "pg", patients=PATIENTS)
    database = f"t{RUN_ID}_pg_v2"
    pg = new_pg_v2(pg_server, database)
    config = pg_config(env, pg, database, directory / "pgconf")
    result = {"env": env, "pg": pg, "database": database, "config": config, "directory": directory,
              "catalog_before": catalog(pg), "state_before": schemas_and_counts(pg)}
    result["dry"] = run_cli(config, "--dry-run", "--output-dir", str(directory / "pg-dry"))
    result["state_after_dry"] = schemas_and_counts(pg)
    result["pg_run"] = run_cli(config, "--output-dir", str(directory / "pg-out"))
    conn = pg.connect_driver()
    result["checksums_after_run"] = table_checksums(conn, "public", table_checksums_names(conn))
    conn.close()
    result["maria_run"] = run_cli(config_for(env, directory / "mariaconf"), "--output-dir", str(directory / "maria-out"))
    yield result
    env.drop()
    drop_database(pg_server, database)


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sorted(map(tuple, csv.reader(f)))


def test_a_dry_run_writes_nothing_to_postgresql(runs):
    assert runs["dry"].returncode == 0, runs["dry"].stderr[-2000:]
    assert runs["state_after_dry"] == runs["state_before"]
    plan = json.loads((runs["directory"] / "pg-dry" / "reports" / "migration_plan.json").read_text())
    report = json.loads((runs["directory"] / "pg-out" / "validation_report.json").read_text())
    # the dry run's plan equals the real run's outcome, table by table
    outcome = {t["table_name"]: t["loaded_rows"] for t in report["tables"]}
    assert {t: p["rows_to_load"] for t, p in plan["tables"].items()} == {t: outcome[t] for t in plan["tables"]}


def test_the_same_rows_uuids_crosswalks_and_exceptions_as_into_mariadb(runs):
    assert runs["maria_run"].returncode == 0, runs["maria_run"].stderr[-2000:]
    assert runs["pg_run"].returncode == 0, runs["pg_run"].stderr[-2000:]
    env, pg = runs["env"], runs["pg"]
    tables = [t for (t,) in env.rows("select table_name from information_schema.tables where table_schema = %s",
                                     (env.v2,))]
    assert len(tables) == 63
    maria_counts = {t: env.scalar(f"select count(*) from `{env.v2}`.`{t}`") for t in tables}
    pg_counts = {t: pg_rows(pg, f'select count(*) from public."{t}"')[0][0] for t in tables}
    assert pg_counts == maria_counts
    assert sum(pg_counts.values()) > 4000
    maria_uuids = {r[0] for r in env.rows(f"select patient_id from `{env.v2}`.patients")}
    pg_uuids = {r[0] for r in pg_rows(pg, "select patient_id::text from public.patients")}
    assert pg_uuids == maria_uuids and len(pg_uuids) > PATIENTS
    for name in ("reports/old_user_id__to__new_user_id.csv", "reports/old_user_id__to__new_patient_id.csv",
                 "reports/exceptions.csv"):
        assert csv_rows(runs["directory"] / "pg-out" / name) == csv_rows(runs["directory"] / "maria-out" / name), name
    # every v2 table holds the same values, after normalising PostgreSQL's types
    for table in ("patients", "visits", "appointments", "users", "oauth_access_tokens", "clinics"):
        key = "patient_id" if table == "patients" else "id"
        maria = env.rows(f"select * from `{env.v2}`.`{table}` order by `{key}`")
        pgr = pg_rows(pg, f'select * from public."{table}" order by "{key}"')
        assert [tuple(normal(v) for v in r) for r in pgr] == [tuple(normal(v) for v in r) for r in maria], table


def normal(value):
    """A value as text, alike on both engines: booleans as 0/1, UUIDs and char(36) as text."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (bytes, bytearray)):
        value = value.decode()
    if value is None:
        return None
    if isinstance(value, (dict, list)):  # a json column, as psycopg2 reads it
        return json.dumps(value, sort_keys=True)
    text = str(value)
    if text.startswith(("{", "[")):  # json text, as MariaDB gives it
        try:
            return json.dumps(json.loads(text), sort_keys=True)
        except ValueError:
            pass
    return text.rstrip() if isinstance(value, str) else text


def test_every_dbt_test_passes_as_on_mariadb_and_the_run_reconciles(runs):
    report = json.loads((runs["directory"] / "pg-out" / "validation_report.json").read_text())
    tests = [n for n in report["tests"]["results"] if n["node"].startswith("test.")]
    assert len(tests) > 250 and all(t["status"] == "pass" for t in tests)
    maria = json.loads((runs["directory"] / "maria-out" / "validation_report.json").read_text())
    assert {t["node"] for t in tests} == {n["node"] for n in maria["tests"]["results"] if n["node"].startswith("test.")}
    assert sum(1 for t in tests if t["node"].split(".")[2].startswith("foreign_key_")
               and "finds_an_orphan" not in t["node"]) == 72
    assert report["totals"]["reconciles"]


def test_every_sequence_is_past_the_highest_id_and_the_ddl_is_untouched(runs):
    pg = runs["pg"]
    sequences = pg_rows(pg, """
        select c.relname, a.attname, pg_get_serial_sequence(format('public.%I', c.relname), a.attname)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0
        where n.nspname = 'public' and c.relkind = 'r'
          and pg_get_serial_sequence(format('public.%I', c.relname), a.attname) is not null""")
    assert len(sequences) >= 40
    loaded = 0
    for table, column, sequence in sequences:
        top = pg_rows(pg, f'select max("{column}") from public."{table}"')[0][0]
        last, called = pg_rows(pg, f"select last_value, is_called from {sequence}")[0]
        if top is not None:
            loaded += 1
            assert called and last >= top, f"{table}.{column}: sequence at {last}, max id {top}"
    assert loaded >= 40
    # the next id the application takes is a new one
    new_id = pg_rows(pg, "select nextval(pg_get_serial_sequence('public.visits', 'id'))")[0][0]
    assert new_id > pg_rows(pg, "select max(id) from public.visits")[0][0]
    assert catalog(pg) == runs["catalog_before"]
    fks = pg_rows(pg, "select count(*) from pg_constraint c join pg_namespace n on n.oid = c.connamespace "
                      "where n.nspname = 'public' and c.contype = 'f' and c.convalidated")[0][0]
    assert fks == 72


def test_a_second_run_at_once_is_refused_with_the_lock_message(runs):
    pg = runs["pg"]
    holder = pg.connect()
    try:
        holder.cursor().execute("select pg_advisory_lock(hashtext(%s))", (lock_name(runs["database"]),))
        result = run_cli(runs["config"], "--output-dir", str(runs["directory"] / "locked"))
    finally:
        holder.close()
    assert result.returncode == 6
    assert "another moh-migrate run is working on" in last_line(result)


def test_bad_inputs_get_one_line_and_their_status(runs, tmp_path):
    env, pg, database = runs["env"], runs["pg"], runs["database"]
    bad_scheme = tmp_path / "scheme.yaml"
    bad_scheme.write_text(yaml.safe_dump({"old_db_url": pg_url(pg, database), "new_db_url": pg_url(pg, database)}))
    result = run_cli(bad_scheme, "--dry-run", "--output-dir", str(tmp_path / "a"))
    assert result.returncode == 2 and "v1 must be a MySQL or MariaDB database" in last_line(result)

    unreachable = pg_config(env, replace(pg, port=1), database, tmp_path / "unreachable", retry_attempts=1)
    result = run_cli(unreachable, "--dry-run", "--output-dir", str(tmp_path / "b"))
    assert result.returncode == 3 and "no PostgreSQL server answers at" in last_line(result)

    role = f"t{RUN_ID}_reader"
    admin = pg.connect()
    admin.cursor().execute(f'drop role if exists "{role}"; create role "{role}" login; '
                           f'grant usage on schema public to "{role}"; grant select on all tables in schema public to "{role}"')
    try:
        reader = pg_config(env, pg, database, tmp_path / "reader")
        reader.write_text(reader.read_text().replace(pg_url(pg, database), pg_url(pg, database, user=role)))
        result = run_cli(reader, "--output-dir", str(tmp_path / "c"))
        assert result.returncode == 3, result.stderr[-1000:]
        assert f"{role} lacks INSERT, DELETE on public" in last_line(result)
        assert "GRANT INSERT, DELETE ON ALL TABLES IN SCHEMA public" in last_line(result)
        # and a dry run needs SELECT only
        dry = run_cli(reader, "--dry-run", "--output-dir", str(tmp_path / "d"))
        assert dry.returncode == 0, dry.stderr[-1000:]
        # with the table grants of a real run but not the sequences' (setval after the load)
        admin.cursor().execute(f'grant insert, delete, update on all tables in schema public to "{role}"; '
                               f'grant create on database "{database}" to "{role}"')
        result = run_cli(reader, "--output-dir", str(tmp_path / "e"))
        assert result.returncode == 3, result.stderr[-1000:]
        assert "GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public" in last_line(result)
    finally:
        admin.cursor().execute(f'drop owned by "{role}"; drop role "{role}"')
        admin.close()


def test_post_migration_checks_run_with_psycopg2_and_all_pass(runs):
    """post_migration_checks.sql, as the run wrote it, against the PostgreSQL v2 (psql reads the
    same file): one result set, a row per check, every check PASS, the verdict ALL PASS."""
    sql = (runs["directory"] / "pg-out" / "post_migration_checks.sql").read_text()
    rows = pg_rows(runs["pg"], sql)
    assert len(rows) > 200  # rows per table (63), foreign keys (72), unique keys, audit timestamps
    assert all(r[3] == "PASS" for r in rows[:-1]) and rows[-1][3] == "ALL PASS"
    assert sum(1 for r in rows if r[0].startswith("orphans: ")) == 72


def test_limit_loads_that_many_patients_into_postgresql_and_leaves_no_orphan(server, pg_server, tmp_path):
    """--limit into PostgreSQL (a v1 and a v2 of its own): 20 patients and what belongs to them,
    every dbt test passing, and the post-migration script's orphan checks all PASS."""
    env = make_env(server, tmp_path, "pg_limit", patients=80)
    database = f"t{RUN_ID}_pg_limit"
    pg = new_pg_v2(pg_server, database)
    try:
        out = tmp_path / "out"
        result = run_cli(pg_config(env, pg, database, tmp_path / "conf"), "--limit", "20", "--output-dir", str(out))
        assert result.returncode == 0, result.stderr[-3000:]
        assert pg_rows(pg, "select count(*) from public.patients") == [(20,)]
        assert pg_rows(pg, "select count(*) from public.visits")[0][0] > 20
        report = json.loads((out / "validation_report.json").read_text())
        assert report["status"] == "passed" and report["sample_patients"] == 20
        assert report["rows_loaded"] == report["totals"]["loaded_rows"] > 0  # dbt's count of the v2 tables' rows
        rows = pg_rows(pg, (out / "post_migration_checks.sql").read_text())
        assert sum(1 for r in rows if r[0].startswith("orphans: ") and r[3] == "PASS") == 72
        assert rows[-1][3] == "ALL PASS", [r for r in rows if r[3] != "PASS"]
    finally:
        env.drop()
        drop_database(pg_server, database)


def test_rollback_puts_v2_back_as_it_was(runs):
    """After the tests that read the run: it undoes it."""
    result = run_cli(runs["config"], "--rollback", "--output-dir", str(runs["directory"] / "rollback"))
    assert result.returncode == 0, result.stderr[-2000:]
    _, counts = schemas_and_counts(runs["pg"])
    assert counts == runs["state_before"][1]
    assert counts["migrations"] == V2_APP_MIGRATIONS


def test_a_run_killed_with_sigkill_resumes_to_the_same_v2(runs):
    """After the rollback (v2 empty again): kill -9 while the v2 tables load, then the same
    command again: it resumes the run and v2 equals the uninterrupted run's (checksums of every
    table)."""
    pg, work = runs["pg"], runs["database"] + "_migrate"
    conn = pg.connect_driver()
    tables = table_checksums_names(conn)
    before = runs["checksums_after_run"]
    process = subprocess.Popen(command(runs["config"], runs["directory"] / "killed"), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)

    def loading() -> bool:
        cur = conn.cursor()
        cur.execute(f'select count(*) from "{work}".migration_run_models m where m.run_id = '
                    f'(select max(run_id) from "{work}".migration_runs where status = \'running\') and m.unique_id in '
                    "(select 'model.moh_migrate.' || tablename from pg_tables where schemaname = 'public')")
        return cur.fetchone()[0] >= 5 or process.poll() is not None
    wait_for(loading, 600, "the run to load v2 tables", interval=0.05)
    process.kill()
    assert process.wait() == -signal.SIGKILL, "the run ended before it could be killed"
    resumed = run_cli(runs["config"], "--output-dir", str(runs["directory"] / "resumed"))
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resuming run" in resumed.stderr
    assert table_checksums(conn, "public", tables) == before
    conn.close()


def test_incremental_brings_postgresql_to_what_a_fresh_run_gives_and_counts_as_mariadb(runs, pg_server):
    """Last (it changes v1): after the kill test both v2 hold the full run of the same v1. v1
    changes as a live application changes it; --incremental into PostgreSQL and into MariaDB
    report the same rows inserted, updated and deleted per table (PostgreSQL's cascaded deletes
    counted where MariaDB counts them); the PostgreSQL v2 equals a fresh full run on the changed
    v1 (every table's checksum, once the one UUID a patient keeps is read as the fresh run minted
    it), with the same crosswalks and exceptions; every sequence is still past its highest id; and
    a second incremental run writes nothing."""
    env, pg, directory = runs["env"], runs["pg"], runs["directory"]
    work = runs["database"] + "_migrate"
    changed = change_v1_like_a_live_application(env)

    def kept_uuid(pg_db, work_schema):
        rows = pg_rows(pg_db, f'select patient_uuid from "{work_schema}".int_patients_minted '
                              "where v1_user_id = %s and is_primary_for_user", (changed["patient_user"],))
        assert len(rows) == 1
        return rows[0][0]
    kept = kept_uuid(pg, work)
    pg_out, maria_out = directory / "pg-incremental", directory / "maria-incremental"
    into_pg = run_cli(runs["config"], "--incremental", "--output-dir", str(pg_out))
    assert into_pg.returncode == 0, into_pg.stderr[-3000:]
    into_maria = run_cli(config_for(env, directory / "mariaconf"), "--incremental", "--output-dir", str(maria_out))
    assert into_maria.returncode == 0, into_maria.stderr[-3000:]
    applied = json.loads((pg_out / "validation_report.json").read_text())["applied_changes"]
    assert applied == json.loads((maria_out / "validation_report.json").read_text())["applied_changes"]
    assert applied["visits"]["deleted"] > 0 and applied["patients"]["deleted"] == 1 and applied["doctors"]["inserted"] == 1
    assert kept_uuid(pg, work) == kept, "the patient keeps its UUID"

    fresh_db = f"t{RUN_ID}_pg_fresh"
    fresh = new_pg_v2(pg_server, fresh_db)
    try:
        fresh_config = pg_config(env, pg, fresh_db, directory / "pg-fresh-conf")
        fresh_run = run_cli(fresh_config, "--output-dir", str(directory / "pg-fresh"))
        assert fresh_run.returncode == 0, fresh_run.stderr[-3000:]
        minted = kept_uuid(fresh, fresh_db + "_migrate")
        assert minted != kept
        # the fresh v2 with the kept UUID where it minted another (ON UPDATE CASCADE carries the
        # patients key to every column that points at it; then the columns that hold it unkeyed)
        conn = fresh.connect()
        cur = conn.cursor()
        cur.execute("update public.patients set patient_id = %s where patient_id = %s", (kept, minted))
        cur.execute("select table_name, column_name from information_schema.columns where table_schema = 'public' "
                    "and data_type in ('uuid', 'character', 'character varying') "
                    "and coalesce(character_maximum_length, 36) >= 36")
        for table, column in cur.fetchall():
            cur.execute(f'update public."{table}" set "{column}" = %s where "{column}"::text = %s', (kept, minted))
        conn.close()
        incremental_conn, fresh_conn = pg.connect_driver(), fresh.connect_driver()
        tables = table_checksums_names(incremental_conn)
        assert table_checksums(incremental_conn, "public", tables) == table_checksums(fresh_conn, "public", tables)
        fresh_conn.close()
        for name in ("old_user_id__to__new_user_id.csv", "old_user_id__to__new_patient_id.csv", "exceptions.csv"):
            text = (directory / "pg-fresh" / "reports" / name).read_text("utf-8").replace(minted, kept)
            assert sorted(map(tuple, csv.reader(text.splitlines()))) == csv_rows(pg_out / "reports" / name), name
    finally:
        drop_database(pg_server, fresh_db)
    assert sequences_behind(pg) == []

    after = table_checksums(incremental_conn, "public", tables)
    again = run_cli(runs["config"], "--incremental", "--output-dir", str(directory / "pg-incremental-again"))
    assert again.returncode == 0, again.stderr[-3000:]
    assert "incremental: 0 rows inserted, 0 updated, 0 deleted in 0 of 55 v2 tables" in again.stderr
    assert table_checksums(incremental_conn, "public", tables) == after
    incremental_conn.close()


def sequences_behind(pg) -> list[str]:
    """table.column of every loaded column whose sequence is not past the highest value."""
    behind = []
    for table, column, sequence in pg_rows(pg, """
            select c.relname, a.attname, pg_get_serial_sequence(format('public.%I', c.relname), a.attname)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum > 0
            where n.nspname = 'public' and c.relkind = 'r'
              and pg_get_serial_sequence(format('public.%I', c.relname), a.attname) is not null"""):
        top = pg_rows(pg, f'select max("{column}") from public."{table}"')[0][0]
        last, called = pg_rows(pg, f"select last_value, is_called from {sequence}")[0]
        if top is not None and not (called and last >= top):
            behind.append(f"{table}.{column}")
    return behind


def table_checksums_names(conn) -> list[str]:
    cur = conn.cursor()
    cur.execute("select tablename from pg_tables where schemaname = 'public' order by 1")
    return [t for (t,) in cur.fetchall()]
