{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'inherited_disease_id': 'inherited_diseases',
    },
    'patient_refs': ['patient_id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
