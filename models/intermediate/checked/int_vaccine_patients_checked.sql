{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'vaccine_id': 'vaccines',
    },
    'patient_refs': ['patient_id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
