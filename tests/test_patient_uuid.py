"""The patient UUID rule is written twice on purpose: in SQL, which mints the UUIDs in the
database, and in Python (driver/patient_uuid.py), which the driver, the bench and the tests
use. Both must give the same namespace for a secret and the same UUID for a name."""
import uuid

from driver.db import drop_database
from driver.dbt_runner import DbtTarget, run_dbt
from driver.patient_uuid import namespace_hex, patient_uuid
from tests.conftest import RUN_ID

# non-ASCII (UTF-8 bytes on both sides), a quote and a backslash (SQL escaping)
SECRET = "sécret ✓ 'quoted' \\ 🔑"


def test_the_namespace_of_a_secret_is_the_same_in_sql_and_python(server, tmp_path):
    v2, work = f"t{RUN_ID}_ns_v2", f"t{RUN_ID}_ns_work"
    conn = server.connect()
    conn.cursor().execute(f"create database `{v2}`")
    conn.close()
    try:
        target = DbtTarget(server=server, v2_database=v2, v1_database=v2, work_dir=tmp_path, uuid_secret=SECRET,
                           extra_vars={"work_schema": work})
        result = run_dbt(target, "run-operation", "prepare_work_schema")
        assert result.ok, result.output[-2000:]
        conn = server.connect()
        cur = conn.cursor()
        cur.execute(f"select namespace_hex from `{work}`.patient_uuid_namespace where id = 1")
        (in_sql,), = cur.fetchall()
        conn.close()
        assert in_sql == namespace_hex(SECRET)
    finally:
        drop_database(server, work)
        drop_database(server, v2)


def test_patient_uuids_are_rfc4122_version_5_under_the_namespace():
    namespace = namespace_hex("test-secret-not-for-production")
    assert len(namespace) == 32 and int(namespace, 16) >= 0
    value = uuid.UUID(patient_uuid(namespace, "patients:1"))
    assert value.version == 5 and value.variant == uuid.RFC_4122
    assert patient_uuid(namespace, "patients:1") != patient_uuid(namespace, "users:1")
    assert patient_uuid(namespace_hex("another"), "patients:1") != str(value)
