{%- set spec = {
    'unique_key': ['id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
