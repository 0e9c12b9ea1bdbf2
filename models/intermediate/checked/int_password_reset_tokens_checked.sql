{%- set spec = {
    'unique_key': ['email'],
} -%}
{{ config(spec=spec, enabled=carry_table('password_reset_tokens')) }}
{{ v2_checked(spec) }}
