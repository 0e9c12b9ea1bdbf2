{%- set spec = {
    'unique_key': ['id'],
} -%}
{{ config(spec=spec, enabled=carry_table('job_batches')) }}
{{ v2_checked(spec) }}
