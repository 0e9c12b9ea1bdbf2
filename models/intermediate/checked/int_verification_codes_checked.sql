{%- set spec = {
    'base': 'int_verification_codes_shaped',
    'v1_table': 'verification_codes',
    'unique_key': ['id'],
    'references': {
        'patient_id': 'patients',
    },
    'dropped': {
        'user_id': "becomes patient_id, the UUID of that user's primary patient",
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
