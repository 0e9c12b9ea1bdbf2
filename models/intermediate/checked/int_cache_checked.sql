{%- set spec = {
    'unique_key': ['key'],
} -%}
{{ config(spec=spec, enabled=carry_table('cache')) }}
{{ v2_checked(spec) }}
