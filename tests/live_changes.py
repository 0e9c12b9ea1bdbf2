"""v1 changed as a live application changes it between a full run and --incremental: the
same changes for the MariaDB and the PostgreSQL tests of incremental runs."""
from __future__ import annotations

STAMP = "'2026-01-15 10:00:00'"  # the changes carry fixed times: both sides must see the same v1


def change_v1_like_a_live_application(env) -> dict:
    """Every kind of change the issue names, deterministic, so that two copies of the same v1
    change alike. Returns what was changed, by id."""
    v1 = env.v1
    patient_user = env.scalar(
        f"select min(u.id) from `{v1}`.users u where u.type = 'PATIENT' "
        f"and not exists (select 1 from `{v1}`.patients p where p.user_id = u.id)")
    becomes_doctor = env.scalar(
        f"select min(u.id) from `{v1}`.users u join `{v1}`.patients p on p.user_id = u.id "
        f"where u.type = 'PATIENT' and p.relation_patient_id is null")
    deleted_patient = env.scalar(
        f"select max(p.id) from `{v1}`.patients p join `{v1}`.visits v on v.patient_id = p.id "
        f"where p.relation_patient_id is null and p.user_id <> {becomes_doctor} "
        f"and not exists (select 1 from `{v1}`.patients r where r.relation_patient_id = p.id)")
    assert patient_user and becomes_doctor and deleted_patient
    visits_before = env.scalar(f"select count(*) from `{v1}`.visits where patient_id = {deleted_patient}")
    env.execute(
        # new rows: visits of existing patients
        f"insert into `{v1}`.visits (medical_case_id, patient_id, relation_patient_id, clinic_id, doctor_id, "
        "medical_center_id, reason, visit_source, visit_type, status, notes, visit_date, queue_number, created_at, "
        f"updated_at) select medical_case_id, patient_id, relation_patient_id, clinic_id, doctor_id, medical_center_id, "
        f"reason, visit_source, visit_type, status, notes, visit_date, queue_number, {STAMP}, {STAMP} "
        f"from `{v1}`.visits order by id limit 5",
        # a bulk UPDATE that leaves updated_at alone
        f"update `{v1}`.visits set notes = concat(coalesce(notes, ''), ' (reviewed)'), updated_at = updated_at "
        "where id % 7 = 0",
        # a delete that cascades through v1's foreign keys (visits, appointments, cases ...)
        f"delete from `{v1}`.patients where id = {deleted_patient}",
        # a PATIENT who becomes a DOCTOR (and stays a patient: the patients row remains)
        f"update `{v1}`.users set type = 'DOCTOR' where id = {becomes_doctor}",
        f"insert into `{v1}`.doctors (user_id, medical_specialty_id, medical_center_id, created_at, updated_at) "
        f"select {becomes_doctor}, min(ms.id), min(mc.id), {STAMP}, {STAMP} "
        f"from `{v1}`.medical_specialties ms cross join `{v1}`.medical_centers mc",
        # role changes in model_has_roles: the new doctor's role, and a nurse who becomes a secretary
        f"insert ignore into `{v1}`.model_has_roles (role_id, model_type, model_id) "
        f"values (2, 'App\\\\Models\\\\User', {becomes_doctor})",
        f"update `{v1}`.model_has_roles set role_id = 4 where model_id = 11 and role_id = 3",
        # a patient user who gains a patients row: the crosswalk keeps the UUID the user's patient had
        f"insert into `{v1}`.patients (user_id, medical_number, created_at, updated_at) "
        f"values ({patient_user}, 'M-incr-1', {STAMP}, {STAMP})",
        # an orphan, as a lax application leaves one: it must be rejected
        "set session foreign_key_checks = 0",
        f"insert into `{v1}`.visits (patient_id, clinic_id, medical_center_id, status, created_at, updated_at) "
        f"select 987654321, min(c.id), min(c.medical_center_id), 'DONE', {STAMP}, {STAMP} from `{v1}`.clinics c",
        "set session foreign_key_checks = 1",
    )
    assert env.scalar(f"select count(*) from `{v1}`.visits where patient_id = {deleted_patient}") == 0 < visits_before
    return {"patient_user": patient_user, "becomes_doctor": becomes_doctor, "deleted_patient": deleted_patient}
