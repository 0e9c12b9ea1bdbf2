{%- set spec = {
    'unique_key': none,
    'references': {
        'clinic_id': 'clinics',
        'doctor_id': 'doctors',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
