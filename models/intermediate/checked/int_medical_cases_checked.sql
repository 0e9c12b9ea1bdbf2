{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'doctor_id': 'doctors',
        'medical_center_id': 'medical_centers',
    },
    'patient_refs': ['patient_id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
