{{ config(post_hook="{{ refuse_unstorable_values(this) }}") }}

{#- Every v1 value that its v2 column cannot store (see storable.sql), by table, column, problem
    and value (shown without personal data), with the policy the mapping gives it and how many
    rows hold it. The last check before any v2 table is written: every v2 model waits for this
    one, and when a value's policy is "refuse" its post-hook stops the run here, naming them. -#}
{%- for table in migrated_tables() %}
select
    {{ sql_literal(table) }} as table_name,
    found.column_name,
    found.problem,
    found.shown_value,
    found.policy,
    count(*) as rows_found
from {{ ref('int_' ~ table ~ '_checked') }} checked
{{ unstorable_found('checked._unstorable') }}
where checked._audit = 1 and checked._unstorable is not null
group by found.column_name, found.problem, found.shown_value, found.policy
union all
{%- endfor %}
select
    {{ null_text() }} as table_name,
    {{ null_text() }} as column_name,
    {{ null_text() }} as problem,
    {{ null_text() }} as shown_value,
    {{ null_text() }} as policy,
    0 as rows_found
from {{ ref('int_v2_tables_checked') }}
where 1 = 0
