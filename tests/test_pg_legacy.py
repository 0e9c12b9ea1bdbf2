"""Legacy data into PostgreSQL: the generator's legacy set (values a lax sql_mode left), plus the
two kinds of value PostgreSQL cannot hold at all, a NUL character in text and a date with only a
zero year. The dry run lists them with the values v2 cannot store; the default mapping refuses
before any v2 write; a mapping that handles them loads exactly what the plan said, table by
table, with the values set NULL or the rows rejected as it says. Never a failure halfway."""
from __future__ import annotations

import csv
import json

import pytest
import yaml

from driver.pg import drop_database
from tests.conftest import RUN_ID, make_env
from tests.runs import run_cli
from tests.test_legacy import POLICIES, REMAPS, UNSTORABLE, plan_differences
from tests.test_postgres import new_pg_v2, pg_config, pg_rows

PATIENTS = 300
# beyond the legacy set: only PostgreSQL cannot hold these (MariaDB stores both)
ONLY_POSTGRES = {("visits", "notes", "nul_character", "11 characters with a NUL"),
                 ("patients", "date_of_birth", "zero_date", "0000-MM-DD")}


@pytest.fixture(scope="module")
def legacy(server, pg_server, tmp_path_factory):
    """(environment, PostgreSQL v2, its database, directory) for the legacy v1 with a NUL in a
    visit's notes and a birth date of year 0."""
    directory = tmp_path_factory.mktemp("pg_legacy")
    env = make_env(server, directory, "pg_legacy", patients=PATIENTS, legacy=True)
    visit = env.scalar(f"select min(id) from `{env.v1}`.visits where notes is null")
    # a patient's birth date lives in its users row in v1: a user with one patients row
    patient_user = env.scalar(
        f"select min(u.id) from `{env.v1}`.users u where u.type = 'PATIENT' and year(u.date_of_birth) > 0 "
        f"and (select count(*) from `{env.v1}`.patients p where p.user_id = u.id) = 1")
    patient = env.scalar(f"select id from `{env.v1}`.patients where user_id = {patient_user}")
    env.execute("set session sql_mode = ''",
                f"update `{env.v1}`.visits set notes = concat('call ', char(0), ' back') where id = {visit}",
                f"update `{env.v1}`.users set date_of_birth = '0000-03-04' where id = {patient_user}")
    database = f"t{RUN_ID}_pg_legacy"
    pg = new_pg_v2(pg_server, database)
    yield env, pg, database, directory, {"visit": visit, "patient": patient}
    env.drop()
    drop_database(pg_server, database)


@pytest.fixture(scope="module")
def legacy_mapping(tmp_path_factory):
    mapping = yaml.safe_load(open("mapping.example.yaml"))
    mapping["unstorable_values"] = {"default": "refuse", **POLICIES, "visits.notes": "set_null"}
    mapping["enum_remaps"] = REMAPS
    path = tmp_path_factory.mktemp("pg_legacy_mapping") / "mapping.yaml"
    path.write_text(yaml.safe_dump(mapping, allow_unicode=True))
    return str(path)


def counts(pg) -> dict[str, int]:
    return {t: pg_rows(pg, f'select count(*) from public."{t}"')[0][0]
            for (t,) in pg_rows(pg, "select tablename from pg_tables where schemaname = 'public'")}


def test_the_dry_run_lists_them_and_the_default_mapping_refuses_before_any_v2_write(legacy):
    env, pg, database, directory, _ = legacy
    config = pg_config(env, pg, database, directory / "default")
    dry = run_cli(config, "--dry-run", "--output-dir", str(directory / "default-dry"))
    assert dry.returncode == 0, dry.stderr[-3000:]
    plan = json.loads((directory / "default-dry/reports/migration_plan.json").read_text())
    found = {(u["table"], u["column"], u["problem"], u["value"]): u for u in plan["unstorable_values"]}
    assert UNSTORABLE | ONLY_POSTGRES <= set(found), sorted(set(found))
    for key in ONLY_POSTGRES:
        assert found[key]["rows"] == 1 and found[key]["policy"] == "refuse", key

    before = counts(pg)
    refused = run_cli(config, "--output-dir", str(directory / "default-run"))
    assert refused.returncode == 4, refused.stderr[-3000:]
    last = refused.stderr.strip().splitlines()[-1]
    assert "v1 holds values v2 cannot store" in last and "Nothing was written to v2" in last, last
    assert counts(pg) == before


def test_a_mapping_that_handles_them_loads_what_the_plan_said(legacy, legacy_mapping):
    env, pg, database, directory, changed = legacy
    config = pg_config(env, pg, database, directory / "mapped")
    planned = run_cli(config, "--dry-run", "--output-dir", str(directory / "mapped-dry"), mapping=legacy_mapping)
    assert planned.returncode == 0, planned.stderr[-3000:]
    result = run_cli(config, "--output-dir", str(directory / "mapped-run"), mapping=legacy_mapping)
    assert result.returncode == 0, result.stderr[-3000:]
    plan = json.loads((directory / "mapped-dry/reports/migration_plan.json").read_text())
    report = json.loads((directory / "mapped-run/validation_report.json").read_text())
    assert report["status"] == "passed"
    assert plan_differences(plan, report) == []
    # the NUL's visit loads with its notes NULL, the year-0 birth date is NULL (set_null)
    assert pg_rows(pg, "select notes from public.visits where id = %s", (changed["visit"],)) == [(None,)]
    uuid = pg_rows(pg, f'select patient_uuid from "{database}_migrate".int_patients_minted where v1_patient_id = %s',
                   (changed["patient"],))[0][0]
    assert pg_rows(pg, "select date_of_birth from public.patients where patient_id = %s", (uuid,)) == [(None,)]
    assert pg_rows(pg, "select count(*) from public.patients where date_of_birth < '1000-01-01'") == [(0,)]
    with (directory / "mapped-run/reports/exceptions.csv").open() as f:
        reasons = {(r["table"], r["key"]): r["reason"] for r in csv.DictReader(f)}
    assert reasons[("visits", f"id={changed['visit']}")].startswith(
        "changed: set NULL: notes 11 characters with a NUL cannot be stored in v2 (nul_character"), reasons.get(
        ("visits", f"id={changed['visit']}"))
    # a patient's row is named by its v1 id in the exceptions
    assert reasons[("patients", f"id={changed['patient']}")].startswith(
        "changed: set NULL: date_of_birth 0000-MM-DD cannot be stored in v2 (zero_date"), reasons.get(
        ("patients", f"id={changed['patient']}"))
