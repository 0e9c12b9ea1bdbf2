{%- set spec = {
    'base': 'int_model_has_permissions_shaped',
    'v1_table': 'model_has_permissions',
    'unique_key': ['permission_id', 'model_id', 'model_type'],
    'references': {
        'permission_id': 'permissions',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
