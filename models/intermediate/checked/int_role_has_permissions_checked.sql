{%- set spec = {
    'unique_key': ['permission_id', 'role_id'],
    'references': {
        'permission_id': 'permissions',
        'role_id': 'roles',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
