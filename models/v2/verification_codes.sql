{#- v1 codes point at a user; v2 codes point at a patient: the user's primary patient.
    A code of a user who is not a patient keeps no owner (recorded). -#}
{%- set spec = {
    'unique_key': ['id'],
    'joins': [
        ['owner', 'int_patients_minted', 'owner.v1_user_id = s.user_id and owner.is_primary_for_user'],
    ],
    'references': {
        'patient_id': 'patients',
    },
    'column_sql': {
        'patient_id': 'owner.patient_uuid',
    },
    'dropped': {
        'user_id': 'becomes patient_id, the UUID of that user\'s primary patient',
    },
    'changes': [
        ["s.user_id is not null and owner.patient_uuid is null", "concat('set NULL: user_id=', s.user_id, ' is not a patient')"],
    ],
} -%}
{{ config(spec=spec) }}
{{ v2_load(spec) }}
