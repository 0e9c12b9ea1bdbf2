{#- v2 users holds staff only: v1 users classified staff or both, with their v1 ids and columns
    (person columns cleaned only when the mapping turns a cleaning rule on). Patient users
    become v2 patients instead; unclassifiable users are rejected. -#}
{%- set spec = {
    'unique_key': ['id'],
    'joins': [
        ['classified', 'int_users_classified', 'classified.user_id = s.id'],
    ],
    'where': "classified.classification <> 'patient'",
    'rejects': [
        ["classified.classification = 'unclassifiable'", "concat('unclassifiable user: ', classified.reason)"],
    ],
    'column_sql': cleaned_person_columns('s'),
} -%}
{{ config(spec=spec) }}
{{ v2_load(spec) }}
