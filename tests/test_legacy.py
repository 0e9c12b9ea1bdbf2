"""Legacy data: what years of a lax sql_mode leave in v1 (the generator's legacy set). The dry
run lists every value v2 cannot store and every user known only by evidence; with the default
mapping the real run refuses before any write; with a mapping that handles them it does exactly
what the plan said, table by table, and names the root of every cascade."""
from __future__ import annotations

import csv
import json

import pytest
import yaml

from tests.conftest import make_env
from tests.runs import config_for, plan_differences, run_cli

PATIENTS = 300
# what the legacy mapping decides for each value v2 cannot store
POLICIES = {
    "users.type": "set_null",
    "appointments.status": "reject",
    "appointments.booking_date_time": "reject",
    "clinics.name": "reject",
    "patients.medical_number": "set_null",
    "patients.date_of_birth": "set_null",
    "visits.queue_number": "set_null",
    "doctors.easy_appointment_provider_id": "set_null",
    "medical_case_diagnoses.created_at": "set_null",
}
REMAPS = {
    "icd_entities.class_kind": {"CHAPTER": "chapter", "BLOCK": "block", "CATEGORY": "category", "": None},
    "visits.status": {"WAITING_LIST_TRANSFERRED": "TRANSFERRED", "": "WAIT_LIST"},
    "medical_case_diagnoses.injury_side": {"BOTH_SIDES": None, "": None},
}
# (table, column, problem, value shown) for every legacy value v2 cannot store
UNSTORABLE = {
    ("users", "type", "enum", "''"),
    ("appointments", "status", "enum", "''"),
    ("appointments", "booking_date_time", "zero_date", "0000-00-00"),
    ("clinics", "name", "too_long", "300 characters"),
    ("patients", "medical_number", "too_long", "280 characters"),
    ("patients", "date_of_birth", "zero_date", "0000-00-00"),
    ("visits", "status", "enum", "''"),
    ("visits", "queue_number", "out_of_range", "5000000000"),
    ("doctors", "easy_appointment_provider_id", "out_of_range", "5000000000"),
    ("icd_entities", "class_kind", "enum", "''"),
    ("medical_case_diagnoses", "injury_side", "enum", "''"),
    ("medical_case_diagnoses", "created_at", "zero_date", "0000-00-00"),
}


@pytest.fixture(scope="module")
def env(server, tmp_path_factory):
    env = make_env(server, tmp_path_factory.mktemp("legacy"), "legacy", patients=PATIENTS, legacy=True)
    yield env
    env.drop()


@pytest.fixture(scope="module")
def legacy_mapping(tmp_path_factory):
    mapping = yaml.safe_load(open("mapping.example.yaml"))
    mapping["unstorable_values"] = {"default": "refuse", **POLICIES}
    mapping["enum_remaps"] = REMAPS
    path = tmp_path_factory.mktemp("mapping") / "legacy_mapping.yaml"
    path.write_text(yaml.safe_dump(mapping, allow_unicode=True))
    return str(path)


@pytest.fixture(scope="module")
def dry_run(env, tmp_path_factory):
    """The dry run with the default mapping: everything is listed, nothing decided."""
    directory = tmp_path_factory.mktemp("legacy_dry")
    result = run_cli(config_for(env, directory), "--dry-run", "--output-dir", str(directory / "out"))
    assert result.returncode == 0, result.stderr
    return json.loads((directory / "out/reports/migration_plan.json").read_text())


@pytest.fixture(scope="module")
def mapped(env, legacy_mapping, tmp_path_factory):
    """A dry run, then the real run, with the mapping that handles every legacy value."""
    directory = tmp_path_factory.mktemp("legacy_mapped")
    config = config_for(env, directory)
    planned = run_cli(config, "--dry-run", "--output-dir", str(directory / "plan"), mapping=legacy_mapping)
    assert planned.returncode == 0, planned.stderr
    result = run_cli(config, "--output-dir", str(directory / "run"), mapping=legacy_mapping)
    assert result.returncode == 0, result.stderr[-3000:]
    return (json.loads((directory / "plan/reports/migration_plan.json").read_text()),
            json.loads((directory / "run/validation_report.json").read_text()),
            directory / "run")


def test_the_dry_run_lists_every_value_v2_cannot_store(dry_run):
    found = {(u["table"], u["column"], u["problem"], u["value"]): u for u in dry_run["unstorable_values"]}
    assert UNSTORABLE <= set(found)
    for key in UNSTORABLE:
        assert found[key]["rows"] == 1 and found[key]["policy"] == "refuse", key


def test_the_dry_run_names_the_users_known_by_evidence(dry_run):
    by = {(c["classification"], c["classified_by"]): c["users"] for c in dry_run["classified_by_evidence"]}
    assert by[("staff", "type NULL; evidence: doctors row, role DOCTOR in model_has_roles")] == 1
    assert by[("staff", "type NULL; evidence: nurses row")] == 1
    assert by[("staff", "type ''; evidence: role SECRETARY in model_has_roles")] == 1
    assert by[("patient", "type NULL; evidence: role PATIENT in model_has_roles")] == 1


def test_the_default_mapping_refuses_before_anything_is_written(env, tmp_path):
    before = env.table_checksums(env.v2)
    result = run_cli(config_for(env, tmp_path), "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 4, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert "v1 holds values v2 cannot store" in last
    assert "appointments.status '' (enum) in 1 rows" in last and "and 4 more" in last  # 12 in all
    assert env.table_checksums(env.v2) == before
    # what it knew is listed: the rows the refused values would reject
    with (tmp_path / "out/reports/exceptions.csv").open() as f:
        reasons = [row["reason"] for row in csv.DictReader(f)]
    assert any("refused: status '' cannot be stored" in r for r in reasons)


def test_the_plan_is_the_outcome_table_by_table(mapped):
    plan, report, _ = mapped
    assert report["status"] == "passed"
    assert plan_differences(plan, report) == []


def test_staff_known_by_evidence_keep_their_clinical_records(env, mapped):
    legacy = env.legacy
    v2 = env.v2
    assert env.scalar(f"select count(*) from `{v2}`.users where id in (%s, %s, %s)",
                      (legacy.doctor_by_evidence, legacy.nurse_by_evidence, legacy.secretary_by_role)) == 3
    assert env.scalar(f"select type from `{v2}`.users where id = %s", (legacy.secretary_by_role,)) is None
    assert env.scalar(f"select count(*) from `{v2}`.doctors where id = %s", (legacy.doctors_row,)) == 1
    assert env.scalar(f"select count(*) from `{v2}`.appointments where id in (%s, %s, %s)",
                      tuple(legacy.appointment(n) for n in (1, 2, 3))) == 3
    assert env.scalar(f"select count(*) from `{v2}`.medical_cases where id in (%s, %s)",
                      (legacy.medical_case(1), legacy.medical_case(2))) == 2
    assert env.scalar(f"select count(*) from `{v2}`.medical_case_diagnoses where id in (%s, %s)",
                      (legacy.diagnosis(1), legacy.diagnosis(2))) == 2
    assert env.scalar(f"select count(*) from `{v2}`.patient_health_records where id = %s",
                      (legacy.health_record(1),)) == 1
    # the patient known by a role alone became a patient made from the user
    assert env.scalar(f"select count(*) from `{env.work}`.int_patients_minted where v1_user_id = %s",
                      (legacy.patient_by_role,)) == 1


def test_each_handled_value_lands_as_the_mapping_says(env, mapped):
    legacy, v2 = env.legacy, env.v2
    assert env.scalar(f"select status from `{v2}`.visits where id = %s", (legacy.visit(1),)) == "WAIT_LIST"
    assert env.scalar(f"select queue_number from `{v2}`.visits where id = %s", (legacy.visit(2),)) is None
    assert env.scalar(f"select class_kind from `{v2}`.icd_entities where id = %s",
                      (legacy.icd_entity_without_kind,)) is None
    assert env.scalar(f"select count(*) from `{v2}`.appointments where id in (%s, %s)",
                      (legacy.appointment(4), legacy.appointment(5))) == 0
    assert env.scalar(f"select created_at from `{v2}`.medical_case_diagnoses where id = %s",
                      (legacy.diagnosis(6),)) is None


def test_a_cascade_three_levels_deep_names_its_root(env, mapped):
    _, report, out = mapped
    legacy = env.legacy
    with (out / "reports/exceptions.csv").open() as f:
        rows = {(r["table"], r["key"]): r["reason"] for r in csv.DictReader(f)}
    root = f"doctors id={legacy.rejected_doctors_row}: medical_specialty_id={legacy.missing_specialty} not in medical_specialties"
    assert rows[("doctors", f"id={legacy.rejected_doctors_row}")].startswith("rejected: medical_specialty_id=")
    for table, key in [("medical_cases", f"id={legacy.medical_case(3)}"),
                       ("medical_case_diagnoses", f"id={legacy.diagnosis(3)}"),
                       ("patient_health_records", f"id={legacy.health_record(2)}"),
                       ("patient_health_record_icd_entities",
                        f"patient_health_record_id={legacy.health_record(2)},icd_entity_id=8")]:
        assert f"(root: {root})" in rows[(table, key)], (table, key)
    assert f"changed: set NULL: medical_case_id={legacy.medical_case(3)}" in rows[("visits", f"id={legacy.visit(3)}")]
    cascade = next(c for c in report["root_causes"]
                   if (c["root_table"], c["root_key"]) == ("doctors", f"id={legacy.rejected_doctors_row}"))
    assert cascade["takes"] == {"appointments (rejected)": 1, "medical_cases (rejected)": 2,
                                "medical_case_diagnoses (rejected)": 2, "patient_health_records (rejected)": 1,
                                "patient_health_record_icd_entities (rejected)": 2, "visits (changed)": 1}


def test_every_table_reconciles_with_moved_added_and_not_carried(mapped):
    plan, report, _ = mapped
    for t in report["tables"]:
        assert t["v1_rows"] + t["added_rows"] == (t["loaded_rows"] + t["rejected_rows"] + t["moved_rows"]
                                                  + t["not_carried_rows"]), t["table_name"]
    assert report["totals"]["reconciles"] and plan["totals"]["reconciles"]
    assert report["totals"]["moved_rows"] == plan["totals"]["rows_moved"] > 0
    assert report["totals"]["added_rows"] == plan["totals"]["rows_added"] > 0
