{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'medicine_brand_id': 'medicine_brands',
        'medicine_form_id': 'medicine_forms',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
