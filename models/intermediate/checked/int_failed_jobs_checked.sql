{%- set spec = {
    'unique_key': ['id'],
} -%}
{{ config(spec=spec, enabled=carry_table('failed_jobs')) }}
{{ v2_checked(spec) }}
