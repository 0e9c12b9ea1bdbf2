{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'created_by_user_id': 'users',
        'doctor_id': 'doctors',
        'clinic_id': 'clinics',
        'medical_center_id': 'medical_centers',
    },
    'patient_refs': ['patient_id', 'relation_patient_id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
