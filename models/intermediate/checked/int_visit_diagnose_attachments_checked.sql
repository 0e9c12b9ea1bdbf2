{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'medical_case_id': 'medical_cases',
        'visit_diagnostic_test_id': 'visit_diagnostic_tests',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
