{%- set spec = {
    'unique_key': none,
    'references': {
        'clinic_id': 'clinics',
        'medical_specialty_id': 'medical_specialties',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
