{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'user_id': 'users',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
