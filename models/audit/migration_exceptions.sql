{{ config(materialized='ephemeral' if var('plan_only') else 'work_table',
          key_indexes=[['table_name', 'action'], ['root_table'], ['table_name', 'row_key(255)']],
          column_types={'table_name': 'varchar(64)', 'row_key': 'varchar(1024)', 'action': 'varchar(16)',
                        'reason': 'varchar(1000)', 'root_table': 'varchar(64)', 'root_key': 'varchar(1024)',
                        'root_reason': 'varchar(1000)'}) }}

{#- Every v1 row that did not load as it was: rejected (not in v2) or changed (loaded, with a
    value set NULL, remapped or dropped), with its root: the row itself, or the first rejected
    row it depends on (a doctor rejected because their user was: the user). Read from the
    candidate rows of each v2 table. Keys and reasons carry ids, never personal data.
    Indexed by (table_name, row_key): same_content_as_v1 looks up each v2 and v1 row's key
    here; without that index MariaDB scans every exception of the table per row (hours for
    visits at 1,000,000 patients). -#}
{%- for table in migrated_tables() %}
select
    {{ sql_literal(table) }} as table_name,
    _row_key as row_key,
    case when _reject_reason is not null then 'rejected' else 'changed' end as action,
    left(coalesce(_reject_reason, _change_reason), 1000) as reason,
    coalesce(_root_table, {{ sql_literal(table) }}) as root_table,
    coalesce(_root_key, _row_key) as root_key,
    left(coalesce(_root_reason, _reject_reason, _change_reason), 1000) as root_reason
from {{ ref('int_' ~ table ~ '_checked') }}
where _audit = 1 and (_reject_reason is not null or _change_reason is not null)
{{ 'union all' if not loop.last }}
{%- endfor %}
