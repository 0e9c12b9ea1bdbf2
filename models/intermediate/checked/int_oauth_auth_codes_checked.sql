{%- set spec = {
    'base': 'int_oauth_auth_codes_shaped',
    'v1_table': 'oauth_auth_codes',
    'unique_key': ['id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
