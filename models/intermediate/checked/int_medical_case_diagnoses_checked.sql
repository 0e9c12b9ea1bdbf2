{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'icd_entity_id': 'icd_entities',
        'medical_case_id': 'medical_cases',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
