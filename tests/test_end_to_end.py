"""End to end on a real server: 2,000 synthetic patients with every edge case, `dbt build`,
then the result checked in SQL against v1 directly (not only through dbt's own tests)."""
from __future__ import annotations

import uuid

import pytest

from driver.patient_uuid import namespace_hex, patient_uuid
from driver.project import table_dispositions
from tests.conftest import TEST_SECRET, V2_APP_MIGRATIONS

pytestmark = pytest.mark.xdist_group("migrated")  # shares that session build with the files of that group

STAFF_TYPES = ("SUPER_ADMIN", "DOCTOR", "NURSE", "SECRETARY")
REWIRED = {  # v2 table -> columns that held a v1 patients.id
    "appointments": ["patient_id", "relation_patient_id"],
    "visits": ["patient_id", "relation_patient_id"],
    "medical_cases": ["patient_id"],
    "patient_allergies": ["patient_id"],
    "patient_health_records": ["patient_id"],
    "patient_inherited_diseases": ["patient_id"],
    "vaccine_patients": ["patient_id"],
}


def same(a: str, b: str) -> str:
    """Byte-for-byte equality, NULL equal to NULL (the columns' collation ignores case)."""
    return f"cast({a} as binary) <=> cast({b} as binary)"


def expected_uuid(name: str) -> str:
    return patient_uuid(namespace_hex(TEST_SECRET), name)


@pytest.fixture(scope="module")
def env(migrated):
    env, result = migrated
    assert result.ok, result.output[-3000:]
    return env


def exceptions(env, table: str) -> dict[str, tuple[str, str]]:
    return {key: (action, reason) for key, action, reason in env.rows(
        f"select row_key, action, reason from `{env.work}`.migration_exceptions where table_name = %s", (table,))}


def test_every_dbt_test_passed(migrated):
    _, result = migrated
    tests = result.by_status("test")
    assert tests.get("pass", 0) > 250, tests
    assert set(tests) == {"pass"}, [r["unique_id"] for r in result.failures()]


def test_patient_uuids_are_rfc4122_v5_under_the_secret(env):
    rows = env.rows(f"select v1_patient_id, v1_user_id, patient_uuid from `{env.work}`.int_patients_minted")
    assert len(rows) == env.edge.patient_rows + len(env.edge.patient_users_without_row)
    for patient_id, user_id, value in rows:
        name = f"patients:{patient_id}" if patient_id is not None else f"users:{user_id}"
        parsed = uuid.UUID(value)
        assert parsed.version == 5 and parsed.variant == uuid.RFC_4122
        assert value == expected_uuid(name)
    v2_ids = {r[0] for r in env.rows(f"select patient_id from `{env.v2}`.patients")}
    assert v2_ids == {r[2] for r in rows}


def test_each_patient_carries_the_person_behind_its_v1_patients_id(env):
    person = ["first_name", "last_name", "father_name", "mother_name", "phone_number", "gender",
              "date_of_birth", "avatar_file_url", "deleted_at"]
    medical = ["medical_number", "marital_status", "nationality", "blood_type", "tobacco_use",
               "illicit_drug_use", "alcohol_use", "living_situation", "country_id",
               "easy_appointment_customer_id", "years_of_smoking", "smoking_start_year",
               "cigarettes_per_day", "average_packs_per_day", "occupation", "qr_code",
               "relation_ship_type", "created_at", "updated_at"]
    checks = ([same(f"v.{c}", f"u.{c}") for c in person] + [same(f"v.{c}", f"p.{c}") for c in medical]
              + [same("v.national_id", "p.national_number"), same("v.contact_info", "u.email")])
    compared, mismatched = env.rows(
        f"select count(*), sum(not ({' and '.join(checks)})) "
        f"from `{env.v2}`.patients v "
        f"join `{env.work}`.int_patients_minted x on x.patient_uuid = v.patient_id "
        f"join `{env.v1}`.patients p on p.id = x.v1_patient_id "
        f"left join `{env.v1}`.users u on u.id = p.user_id")[0]
    assert compared == env.edge.patient_rows
    assert mismatched == 0


def test_patient_users_without_a_patients_row_become_patients(env):
    checks = [same(f"v.{c}", f"u.{c}") for c in
              ["first_name", "last_name", "phone_number", "gender", "date_of_birth", "created_at", "deleted_at"]]
    rows = env.rows(
        f"select u.id, {' and '.join(checks)}, v.medical_number from `{env.v1}`.users u "
        f"join `{env.work}`.int_patients_minted x on x.v1_user_id = u.id and x.v1_patient_id is null "
        f"join `{env.v2}`.patients v on v.patient_id = x.patient_uuid")
    assert sorted(r[0] for r in rows) == env.edge.patient_users_without_row
    assert all(r[1] == 1 and r[2] == "0" for r in rows)


def test_relatives_are_rewired_to_each_others_uuid(env):
    a, b = env.edge.mutual_relatives
    uuid_a, uuid_b = expected_uuid(f"patients:{a}"), expected_uuid(f"patients:{b}")
    relation = dict(env.rows(f"select patient_id, relation_patient_id from `{env.v2}`.patients "
                             "where patient_id in (%s, %s)", (uuid_a, uuid_b)))
    assert relation == {uuid_a: uuid_b, uuid_b: uuid_a}
    # every v1 relation with a v1 patients row survives as the relative's UUID
    wrong = env.scalar(
        f"select count(*) from `{env.v1}`.patients p "
        f"join `{env.v1}`.patients r on r.id = p.relation_patient_id "
        f"join `{env.v2}`.patients v on v.patient_id = {sql_uuid('p.id')} "
        f"where not (v.relation_patient_id <=> {sql_uuid('r.id')})")
    assert wrong == 0


def sql_uuid(v1_patient_id: str) -> str:
    """The expected UUID of a v1 patients.id, computed in SQL independently of the crosswalk."""
    ns = namespace_hex(TEST_SECRET)
    h = f"sha1(concat(unhex('{ns}'), concat('patients:', {v1_patient_id})))"
    return (f"concat(substr({h},1,8),'-',substr({h},9,4),'-5',substr({h},14,3),'-',"
            f"lower(hex((conv(substr({h},17,1),16,10) & 3) | 8)),substr({h},18,3),'-',substr({h},21,12))")


@pytest.mark.parametrize("table", sorted(REWIRED))
def test_rewired_references_point_at_the_patient_of_the_v1_patients_id(env, table):
    for column in REWIRED[table]:
        wrong = env.scalar(
            f"select count(*) from `{env.v2}`.`{table}` n join `{env.v1}`.`{table}` o on o.id = n.id "
            f"left join `{env.v1}`.patients p on p.id = o.`{column}` "
            f"where not (n.`{column}` <=> case when p.id is null then null else {sql_uuid('p.id')} end)")
        assert wrong == 0, f"{table}.{column}"
    # a v1 row is missing from v2 only when the exceptions say it was rejected
    missing = {f"id={i}" for (i,) in env.rows(
        f"select o.id from `{env.v1}`.`{table}` o left join `{env.v2}`.`{table}` n on n.id = o.id where n.id is null")}
    rejected = {k for k, (action, _) in exceptions(env, table).items() if action == "rejected"}
    assert missing == rejected


def test_staff_rows_are_identical_and_only_staff_are_users(env):
    columns = [c for (c,) in env.rows("select column_name from information_schema.columns "
                                      "where table_schema = %s and table_name = 'users'", (env.v2,))]
    staff = {i for (i,) in env.rows(f"select id from `{env.v1}`.users where type in {STAFF_TYPES}")}
    users = {i for (i,) in env.rows(f"select id from `{env.v2}`.users")}
    assert users == staff
    differing = env.scalar(
        f"select count(*) from `{env.v2}`.users n join `{env.v1}`.users o on o.id = n.id "
        f"where not ({' and '.join(same(f'n.`{c}`', f'o.`{c}`') for c in columns)})")
    assert differing == 0


def test_a_doctor_who_is_also_a_patient_is_both(env):
    e = env.edge
    assert env.scalar(f"select type from `{env.v2}`.users where id = %s", (e.doctor_patient_user,)) == "DOCTOR"
    doctor_name = env.scalar(f"select first_name from `{env.v1}`.users where id = %s", (e.doctor_patient_user,))
    patient_uuid = expected_uuid(f"patients:{e.doctor_patient_row}")
    assert env.scalar(f"select first_name from `{env.v2}`.patients where patient_id = %s", (patient_uuid,)) == doctor_name
    assert env.scalar(f"select patient_id from `{env.v2}`.appointments where id = %s",
                      (e.appointment(5),)) == patient_uuid


def test_v2_own_migrations_table_is_untouched(env):
    assert env.table_checksums(env.v2)["migrations"] == env.migrations_before
    assert env.scalar(f"select count(*) from `{env.v2}`.migrations") == V2_APP_MIGRATIONS


def test_transient_tables_are_not_carried(env):
    transient = [t for t, d in table_dispositions().items() if d == "transient"]
    assert len(transient) == 7
    for table in transient:
        assert env.scalar(f"select count(*) from `{env.v2}`.`{table}`") == 0
        assert env.scalar(f"select count(*) from `{env.v1}`.`{table}`") > 0


def test_every_exception_has_a_reason_and_no_personal_data(env):
    rows = env.rows(f"select table_name, row_key, action, reason from `{env.work}`.migration_exceptions")
    assert rows
    assert all(reason and reason.strip() and action in ("rejected", "changed") for _, _, action, reason in rows)
    leaked = env.scalar(
        f"select count(*) from `{env.work}`.migration_exceptions x join `{env.v1}`.users u "
        "on locate(u.first_name, x.reason) > 0 or locate(u.phone_number, x.reason) > 0 "
        "or locate(u.email, x.reason) > 0 or locate(u.first_name, x.row_key) > 0")
    assert leaked == 0


def test_edge_cases_land_where_the_rules_say(env):
    e = env.edge
    appointments = exceptions(env, "appointments")
    assert appointments[f"id={e.appointment(1)}"][0] == "rejected"  # its patient does not exist
    assert appointments[f"id={e.appointment(2)}"][0] == "rejected"  # its doctor does not exist
    assert "is a patient user" in appointments[f"id={e.appointment(3)}"][1]
    assert env.scalar(f"select created_by_user_id from `{env.v2}`.appointments where id = %s", (e.appointment(3),)) is None
    visits = exceptions(env, "visits")
    assert visits[f"id={e.visit(1)}"][0] == "rejected"
    # what hung on the rejected visit cannot load either
    assert exceptions(env, "patient_health_records")[f"id={e.visit(1)}"][0] == "rejected"
    assert any(a == "rejected" for a, _ in exceptions(env, "visit_diagnose_attachments").values())
    assert env.rows(f"select doctor_id, medical_case_id from `{env.v2}`.visits where id = %s", (e.visit(2),)) == [(None, None)]
    assert exceptions(env, "medical_cases")[f"id={e.orphan_medical_case}"][0] == "rejected"
    users = exceptions(env, "users")
    assert {k for k, (a, _) in users.items() if a == "rejected"} == {f"id={u}" for u in e.unclassifiable_users}
    assert exceptions(env, "secretaries")[f"id={e.staff + 1}"][0] == "rejected"
    assert "patient user" in exceptions(env, "model_has_roles")[
        f"role_id=2,model_id={e.first_patient_user},model_type=App\\Models\\User"][1]
    patients = exceptions(env, "patients")
    assert "not in users" in patients[f"id={e.orphan_user_patient_row}"][1]
    assert "relation_patient_id" in patients[f"id={e.dangling_relative_patient}"][1]
    assert "governorate_id" in patients[f"id={e.dangling_governorate_patient}"][1]
    tokens = exceptions(env, "oauth_access_tokens")
    assert tokens["id=tok-client-credentials"][0] == tokens["id=tok-unclassifiable"][0] == "rejected"


def test_oauth_owner_is_staff_id_or_patient_uuid(env):
    wrong = env.scalar(
        f"select count(*) from `{env.v2}`.oauth_access_tokens n join `{env.v1}`.oauth_access_tokens o on o.id = n.id "
        f"join `{env.v1}`.users u on u.id = o.user_id "
        f"left join `{env.work}`.int_patients_minted x on x.v1_user_id = u.id and x.is_primary_for_user "
        f"where not (n.user_id = case when u.type in {STAFF_TYPES} then cast(u.id as char) else x.patient_uuid end)")
    assert wrong == 0
    staff_tokens = env.scalar(f"select count(*) from `{env.v2}`.oauth_access_tokens where user_id not like '%-%'")
    assert staff_tokens > 0


def test_verification_codes_belong_to_the_users_primary_patient(env):
    e = env.edge
    holder = expected_uuid(f"patients:1")
    assert env.scalar(f"select patient_uuid from `{env.work}`.int_patients_minted "
                      "where v1_user_id = %s and is_primary_for_user", (e.user_of_patient(1),)) == holder
    first_without_row = e.patient_users_without_row[0]
    assert env.scalar(f"select n.patient_id from `{env.v2}`.verification_codes n join `{env.v1}`.verification_codes o "
                      "on o.id = n.id where o.user_id = %s", (first_without_row,)) == expected_uuid(f"users:{first_without_row}")


def test_enum_values_v2_lacks_are_remapped_and_recorded(env):
    assert env.scalar(f"select count(*) from `{env.v2}`.icd_entities where class_kind collate utf8mb4_bin "
                      "not in ('chapter', 'block', 'category')") == 0
    loaded_both_sides = {f"id={i}" for (i,) in env.rows(
        f"select o.id from `{env.v1}`.medical_case_diagnoses o join `{env.v2}`.medical_case_diagnoses n on n.id = o.id "
        "where o.injury_side = 'BOTH_SIDES' and n.injury_side is null")}
    recorded = {k for k, (a, r) in exceptions(env, "medical_case_diagnoses").items()
                if a == "changed" and "injury_side BOTH_SIDES -> NULL" in r}
    assert loaded_both_sides and recorded == loaded_both_sides
    waiting = env.scalar(f"select count(*) from `{env.v1}`.visits where status = 'WAITING_LIST_TRANSFERRED'")
    transferred = env.scalar(
        f"select count(*) from `{env.v2}`.visits n join `{env.v1}`.visits o on o.id = n.id "
        "where o.status = 'WAITING_LIST_TRANSFERRED' and n.status = 'TRANSFERRED'")
    assert waiting > 0 and transferred == waiting


def test_awkward_values_survive_byte_for_byte(env):
    e = env.edge
    user = e.user_of_patient(e.longest_names_patient)
    row = env.rows(
        f"select char_length(v.first_name), {same('v.last_name', 'u.last_name')}, hex(v.last_name) like '%F09D%' "
        f"from `{env.v2}`.patients v join `{env.v1}`.users u on u.id = %s where v.patient_id = %s",
        (user, expected_uuid(f"patients:{e.longest_names_patient}")))
    assert row == [(255, 1, 1)]  # 255 Arabic letters; 4-byte letters intact
    assert env.scalar(f"select count(*) from `{env.v2}`.allergies where id = 0") == 1


def test_row_counts_reconcile_for_every_table(env):
    """Recomputed here from the databases: v1 + added = v2 + rejected + moved, table by table."""
    tables = [t for (t,) in env.rows("select table_name from information_schema.tables where table_schema = %s",
                                     (env.v1,))]
    assert len(tables) == 63
    rejected = dict(env.rows(f"select table_name, count(*) from `{env.work}`.migration_exceptions "
                             "where action = 'rejected' group by table_name"))
    moved = env.scalar(f"select count(*) from `{env.v1}`.users where (type is null or type not in {STAFF_TYPES}) "
                       f"and (type = 'PATIENT' or id in (select user_id from `{env.v1}`.patients))")
    added = len(env.edge.patient_users_without_row)
    for table in tables:
        if table_dispositions()[table] != "migrated":
            continue
        v1 = env.scalar(f"select count(*) from `{env.v1}`.`{table}`")
        v2 = env.scalar(f"select count(*) from `{env.v2}`.`{table}`")
        extra_in = added if table == "patients" else 0
        extra_out = moved if table == "users" else 0
        assert v1 + extra_in == v2 + rejected.get(table, 0) + extra_out, table
    assert env.scalar(f"select count(*) from `{env.work}`.migration_reconciliation where reconciles") == 63


def test_values_without_a_v2_home_are_counted_and_listed(env):
    addresses = env.scalar(f"select count(*) from `{env.v1}`.patients where address is not null and address <> ''")
    dropped = dict(((t, c), n) for t, c, n in env.rows(
        f"select table_name, column_name, values_left_behind from `{env.work}`.migration_dropped_values"))
    listed = [r for a, r in exceptions(env, "patients").values() if "address dropped" in r]
    assert addresses > 0 and dropped[("patients", "address")] == addresses == len(listed)
    passwords = env.scalar(f"select count(*) from `{env.v1}`.users where type = 'PATIENT' and password is not null")
    assert dropped[("users", "password")] == passwords
