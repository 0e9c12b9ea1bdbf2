{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'medical_center_id': 'medical_centers',
        'medical_specialty_id': 'medical_specialties',
        'user_id': 'users',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
