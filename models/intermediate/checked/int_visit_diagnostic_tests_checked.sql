{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'diagnostic_test_id': 'diagnostic_tests',
        'visit_id': 'visits',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
