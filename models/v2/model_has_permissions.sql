{#- Laravel role assignments. A row for a user who is not staff in v2 (a patient user, or a user
    that is not migrated) has no v2 user to belong to and is rejected. -#}
{%- set is_user_row = "s.model_type in (" ~ sql_list(var('user_model_types')) ~ ")" -%}
{%- set spec = {
    'unique_key': ['permission_id', 'model_id', 'model_type'],
    'references': {
        'permission_id': 'permissions',
    },
    'joins': [
        ['staff_user', 'users', is_user_row ~ ' and staff_user.id = s.model_id'],
        ['classified', 'int_users_classified', 'classified.user_id = s.model_id'],
    ],
    'rejects': [
        [is_user_row ~ ' and staff_user.id is null', "concat('model_id=', s.model_id, case classified.classification when 'patient' then ' is a patient user: v2 roles belong to staff' when 'unclassifiable' then ' is an unclassifiable user' else ' not in users' end)"],
    ],
} -%}
{{ config(spec=spec) }}
{{ v2_load(spec) }}
