{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'medical_case_id': 'medical_cases',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
