{%- set spec = {
    'base': 'int_oauth_access_tokens_shaped',
    'v1_table': 'oauth_access_tokens',
    'unique_key': ['id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
