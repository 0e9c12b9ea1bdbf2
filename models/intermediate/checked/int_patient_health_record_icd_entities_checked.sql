{%- set spec = {
    'unique_key': none,
    'references': {
        'patient_health_record_id': 'patient_health_records',
        'icd_entity_id': 'icd_entities',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
