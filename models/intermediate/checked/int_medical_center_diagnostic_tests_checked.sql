{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'diagnostic_test_id': 'diagnostic_tests',
        'medical_center_id': 'medical_centers',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
