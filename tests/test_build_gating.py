"""`dbt build` stops before loading v2 tables downstream of a failed test, and the patient
UUID secret keeps UUIDs stable when it is not given."""
import shutil

from driver.dbt_runner import PROJECT_DIR


def test_a_failing_test_on_patients_skips_every_table_that_points_at_patients(scratch_env, tmp_path):
    env = scratch_env("gating", patients=50)
    project = tmp_path / "project"
    project.mkdir()
    for part in ("dbt_project.yml", "models", "macros", "tests/dbt"):
        source = PROJECT_DIR / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / part)
    (project / "tests/dbt/patients_fail_on_purpose.sql").write_text(
        "-- fails whenever patients has rows\nselect patient_id from {{ ref('patients') }}\n")
    env.target.project_dir = project

    result = env.dbt("build")

    assert not result.ok
    status = {r["unique_id"].split(".")[-1]: r["status"] for r in result.results}
    assert status["patients_fail_on_purpose"] == "fail"
    assert status["patients"] == "success"
    for downstream in ("appointments", "visits", "medical_cases", "patient_allergies", "vaccine_patients",
                       "verification_codes", "patient_health_records", "visit_prescribed_medications"):
        assert status[downstream] == "skipped", downstream
        assert env.scalar(f"select count(*) from `{env.v2}`.`{downstream}`") == 0
    assert status["allergies"] == "success"
    assert env.scalar(f"select count(*) from `{env.v2}`.allergies") > 0


def test_without_a_secret_uuids_are_random_yet_stable_across_runs(scratch_env):
    env = scratch_env("nosecret", patients=30)
    env.target.uuid_secret = ""
    # run, not build: only the crosswalk and what it needs (no test of a table this run leaves out)
    assert env.dbt("run", "--select", "+int_patients_minted").ok
    first = env.rows(f"select v1_patient_id, patient_uuid from `{env.work}`.int_patients_minted order by 1")
    assert env.dbt("run", "--select", "+int_patients_minted").ok
    assert env.rows(f"select v1_patient_id, patient_uuid from `{env.work}`.int_patients_minted order by 1") == first

    env.target.uuid_secret = "another secret"
    assert env.dbt("run", "--select", "+int_patients_minted").ok
    changed = env.rows(f"select v1_patient_id, patient_uuid from `{env.work}`.int_patients_minted order by 1")
    assert len(changed) == len(first)
    assert not set(changed) & set(first)
