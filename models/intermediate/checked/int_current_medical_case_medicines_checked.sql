{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'medical_case_id': 'medical_cases',
        'medicine_form_id': 'medicine_forms',
        'medicine_id': 'medicines',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
