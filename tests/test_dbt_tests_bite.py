"""The dbt tests fail when the v2 data is wrong: each fault is made on purpose here, and the
test meant to catch it must be the one that reports it."""
import pytest

from tests.conftest import make_env

NO_FK = "set foreign_key_checks = 0"  # Env.execute runs its statements on one connection


@pytest.fixture(scope="module")
def built(server, tmp_path_factory):
    env = make_env(server, tmp_path_factory.mktemp("bite"), "bite", patients=200)
    result = env.dbt("build")
    assert result.ok, result.output[-3000:]
    yield env
    env.drop()


def failing_tests(env, select: str) -> set[str]:
    result = env.dbt("test", "--select", select)
    assert not result.ok
    return {r["unique_id"].split(".")[2] for r in result.failures()}


def test_a_broken_foreign_key_fails_its_relationships_test(built):
    env = built
    doctor = env.scalar(f"select doctor_id from `{env.v2}`.appointments where id = 1")
    env.execute(NO_FK, f"update `{env.v2}`.appointments set doctor_id = 987654 where id = 1")
    try:
        assert failing_tests(env, "appointments") == {"foreign_key_appointments_doctor_id__id__ref_doctors_"}
    finally:
        env.execute(NO_FK, f"update `{env.v2}`.appointments set doctor_id = {doctor} where id = 1")
    assert env.dbt("test", "--select", "appointments").ok


def test_a_malformed_uuid_fails_the_format_test(built):
    env = built
    env.execute(NO_FK, f"update `{env.v2}`.vaccine_patients set patient_id = upper(patient_id) where id = 1")
    try:
        assert failing_tests(env, "vaccine_patients") == {"uuid_format_vaccine_patients_patient_id"}
    finally:
        env.execute(NO_FK, f"update `{env.v2}`.vaccine_patients set patient_id = lower(patient_id) where id = 1")


def test_a_changed_value_fails_the_content_checksum(built):
    env = built
    env.execute(f"update `{env.v2}`.allergies set title = concat(title, ' ') where id = 3")
    try:
        assert failing_tests(env, "allergies") == {"same_content_as_v1_allergies_ref_stg_v1__allergies_"}
    finally:
        env.execute(f"update `{env.v2}`.allergies set title = trim(trailing ' ' from title) where id = 3")


def test_a_lost_row_fails_the_reconciliation(built):
    env = built
    env.execute(f"create table `{env.work}`.saved_symptom select * from `{env.v2}`.symptoms where id = 7")
    env.execute(NO_FK, f"delete from `{env.v2}`.symptoms where id = 7")
    try:
        assert env.dbt("run", "--select", "migration_reconciliation").ok
        assert "reconciles_symptoms_" in failing_tests(env, "symptoms")
    finally:
        env.execute(NO_FK, f"insert into `{env.v2}`.symptoms select * from `{env.work}`.saved_symptom",
                    f"drop table `{env.work}`.saved_symptom")
