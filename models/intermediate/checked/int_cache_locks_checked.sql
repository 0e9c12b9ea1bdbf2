{%- set spec = {
    'unique_key': ['key'],
} -%}
{{ config(spec=spec, enabled=carry_table('cache_locks')) }}
{{ v2_checked(spec) }}
