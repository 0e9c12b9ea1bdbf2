{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- Every v1 row that did not load as it was: rejected (not in v2) or changed (loaded, with a
    value set NULL, remapped or dropped). Written by each v2 model in the transaction of its
    load; this view runs after all of them. Keys and reasons carry ids, never personal data. -#}
{%- for table in migrated_tables() %}
-- depends_on: {{ ref(table) }}
{%- endfor %}

select
    table_name,
    row_key,
    action,
    reason
from {{ work_relation('migration_exceptions_log') }}
-- a table that an earlier run loaded and this one does not (a transient table) is not reported
where table_name in ({{ sql_list(migrated_tables()) }})
