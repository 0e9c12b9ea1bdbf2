{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'doctor_id': 'doctors',
        'visit_id': 'visits',
    },
    'patient_refs': ['patient_id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
