{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'medicine_form_id': 'medicine_forms',
        'medicine_id': 'medicines',
        'visit_id': 'visits',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
