{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'allergy_id': 'allergies',
    },
    'patient_refs': ['patient_id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
