{%- set spec = {
    'unique_key': ['id'],
} -%}
{{ config(spec=spec, enabled=carry_table('jobs')) }}
{{ v2_checked(spec) }}
