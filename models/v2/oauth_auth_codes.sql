{#- v2 keeps the token owner as char(36): a staff user keeps the v1 user id (as text), a patient
    user becomes the UUID of their primary patient. A token with no migrated owner is rejected
    (v2 requires one). -#}
{%- set spec = {
    'unique_key': ['id'],
    'joins': [
        ['owner', 'int_users_classified', 'owner.user_id = s.user_id'],
        ['owner_patient', 'int_patients_minted', 'owner_patient.v1_user_id = s.user_id and owner_patient.is_primary_for_user'],
    ],
    'column_sql': {
        'user_id': "case owner.classification when 'staff' then cast(s.user_id as char) when 'both' then cast(s.user_id as char) when 'patient' then owner_patient.patient_uuid end",
    },
    'rejects': [
        ["s.user_id is not null and owner.user_id is null", "concat('user_id=', s.user_id, ' not in users')"],
        ["owner.classification = 'unclassifiable'", "concat('user_id=', s.user_id, ' is an unclassifiable user')"],
    ],
} -%}
{{ config(spec=spec) }}
{{ v2_load(spec) }}
