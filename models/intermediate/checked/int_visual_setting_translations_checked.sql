{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'visual_setting_id': 'visual_settings',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
