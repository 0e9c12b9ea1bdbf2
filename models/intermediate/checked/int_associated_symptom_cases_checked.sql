{%- set spec = {
    'unique_key': none,
    'references': {
        'medical_case_id': 'medical_cases',
        'symptom_id': 'symptoms',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
