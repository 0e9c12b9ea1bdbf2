"""A second `dbt build` on the same data gives byte-identical v2 tables and the same UUIDs."""
import pytest

pytestmark = pytest.mark.xdist_group("migrated")  # the session build of test_end_to_end


def test_second_build_gives_identical_v2_tables_and_uuids(migrated):
    env, first = migrated
    assert first.ok
    before = env.table_checksums(env.v2)
    uuids_before = env.rows(f"select v1_patient_id, v1_user_id, patient_uuid from `{env.work}`.int_patients_minted "
                            "order by patient_uuid")
    exceptions_before = env.rows(f"select * from `{env.work}`.migration_exceptions order by table_name, row_key")

    second = env.dbt("build")

    assert second.ok, second.output[-3000:]
    after = env.table_checksums(env.v2)
    assert len(after) == 63
    assert after == before
    assert env.rows(f"select v1_patient_id, v1_user_id, patient_uuid from `{env.work}`.int_patients_minted "
                    "order by patient_uuid") == uuids_before
    assert env.rows(f"select * from `{env.work}`.migration_exceptions order by table_name, row_key") == exceptions_before
