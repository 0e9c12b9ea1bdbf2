{%- set spec = {
    'base': 'int_model_has_roles_shaped',
    'v1_table': 'model_has_roles',
    'unique_key': ['role_id', 'model_id', 'model_type'],
    'references': {
        'role_id': 'roles',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
