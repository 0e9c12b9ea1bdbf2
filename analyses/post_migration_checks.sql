{#- post_migration_checks.sql, for the mysql client against v2 after a migration:
        mysql <v2 database> < post_migration_checks.sql
    One statement, so one result set: a row per check (check, expected, actual, result PASS or
    FAIL), then a last row with the verdict ('ALL PASS' or 'n FAILED'). Every check has an
    expected value: a table's row count is what the run recorded in the work schema's
    migration_reconciliation (so the work schema must still be there), everything else is 0.
    Window functions count the failures in the same pass, so no check runs twice (MariaDB
    10.2+, MySQL 8). -#}
{%- set v2 = target.schema -%}
{%- set work = work_schema() -%}
-- moh-migrate post-migration checks for {{ v2 }}: one result set, a row per check
-- (check, expected, actual, result), the verdict last. Reads {{ v2 }} and {{ work }}.migration_reconciliation.
{% if execute -%}
{%- set checks = [] -%}

{#- rows per table: what v2 holds now against what the run left there -#}
{%- for table in all_v2_tables() -%}
  {%- do checks.append((
        'rows: ' ~ table,
        'select v2_rows from ' ~ adapter.quote(work) ~ '.migration_reconciliation where table_name = ' ~ sql_literal(table),
        'select count(*) from ' ~ adapter.quote(v2) ~ '.' ~ adapter.quote(table))) -%}
{%- endfor -%}

{#- orphans: one check per foreign_key test of the project, i.e. per v2 foreign key -#}
{%- for node in graph.nodes.values() | sort(attribute='unique_id')
      if node.resource_type == 'test' and (node.test_metadata or {}).get('name') == 'foreign_key' -%}
  {%- set child = graph.nodes[node.attached_node].name -%}
  {%- set column = node.test_metadata.kwargs.column_name -%}
  {%- set parent = node.test_metadata.kwargs.to.split("'")[1] -%}
  {%- set field = node.test_metadata.kwargs.field -%}
  {%- do checks.append((
        'orphans: ' ~ child ~ '.' ~ column ~ ' -> ' ~ parent ~ '.' ~ field,
        'select 0',
        'select count(*) from ' ~ adapter.quote(v2) ~ '.' ~ adapter.quote(child) ~ ' c where c.' ~ adapter.quote(column) ~ ' is not null'
        ~ ' and not exists (select 1 from ' ~ adapter.quote(v2) ~ '.' ~ adapter.quote(parent) ~ ' p where p.' ~ adapter.quote(field) ~ ' = c.' ~ adapter.quote(column) ~ ')')) -%}
{%- endfor -%}

{#- duplicates: one check per primary or unique index of v2 -#}
{%- set keys = run_query(unique_index_columns_sql(v2)) -%}
{%- for table, index, columns in keys -%}
  {%- set cols = columns.split(',') -%}
  {%- set quoted = [] -%}{%- for c in cols %}{% do quoted.append(adapter.quote(c)) %}{% endfor -%}
  {%- do checks.append((
        'duplicates: ' ~ table ~ '.' ~ index ~ ' (' ~ columns ~ ')',
        'select 0',
        'select count(*) from (select 1 from ' ~ adapter.quote(v2) ~ '.' ~ adapter.quote(table) ~ ' where ' ~ (quoted | join(' is not null and ')) ~ ' is not null'
        ~ ' group by ' ~ (quoted | join(', ')) ~ ' having count(*) > 1) d')) -%}
{%- endfor -%}

{#- audit timestamps: no row updated before it was created -#}
{%- set stamped = run_query(
    "select table_name from information_schema.columns where table_schema = " ~ sql_literal(v2)
    ~ " and column_name in ('created_at', 'updated_at') group by table_name having count(*) = 2 order by 1") -%}
{%- for (table,) in stamped -%}
  {%- do checks.append((
        'audit: ' ~ table ~ ' rows updated before created',
        'select 0',
        'select count(*) from ' ~ adapter.quote(v2) ~ '.' ~ adapter.quote(table) ~ ' where updated_at < created_at')) -%}
{%- endfor -%}

{%- set verdict = checks | length + 1 %}
select
    {{ adapter.quote('check') }},
    expected,
    actual,
    result
from (
    select
        seq,
        {{ adapter.quote('check') }},
        expected,
        case when seq = {{ verdict }} then sum(failed) over () else actual end as actual,
        case
            when seq < {{ verdict }} then case when failed = 1 then 'FAIL' else 'PASS' end
            when sum(failed) over () = 0 then 'ALL PASS'
            else concat(sum(failed) over (), ' FAILED')
        end as result
    from (
        select
            seq,
            {{ adapter.quote('check') }},
            expected,
            actual,
            -- a NULL on either side (a table the run did not record) fails
            case when seq < {{ verdict }} and not coalesce(actual = expected, false) then 1 else 0 end as failed
        from (
{%- for label, expected, actual in checks %}
            select {{ loop.index }} as seq, {{ sql_literal(label) }} as {{ adapter.quote('check') }}, ({{ expected }}) as expected, ({{ actual }}) as actual
            union all
{%- endfor %}
            select {{ verdict }}, {{ sql_literal('verdict: checks failed, of ' ~ (checks | length)) }}, 0, null
        ) checks
    ) scored
) judged
order by seq;
{%- else %}
select 'post_migration_checks.sql is rendered by dbt compile' as {{ adapter.quote('check') }};
{%- endif %}
