{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'country_id': 'countries',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
