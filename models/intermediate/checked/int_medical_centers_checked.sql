{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'governorate_id': 'governorates',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
