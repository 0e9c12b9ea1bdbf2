{%- set spec = {
    'unique_key': none,
    'references': {
        'clinic_id': 'clinics',
        'nurse_id': 'nurses',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
