{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'medical_center_id': 'medical_centers',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
