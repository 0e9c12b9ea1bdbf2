{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'user_id': 'users',
    },
} -%}
{{ config(spec=spec, enabled=carry_table('sessions')) }}
{{ v2_checked(spec) }}
