{%- set spec = {
    'base': 'int_users_shaped',
    'v1_table': 'users',
    'unique_key': ['id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
