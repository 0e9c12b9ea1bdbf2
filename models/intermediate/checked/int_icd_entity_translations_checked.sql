{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'icd_entity_id': 'icd_entities',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
