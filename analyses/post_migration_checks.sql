{#- post_migration_checks.sql, for the mysql client against v2 after a migration:
    mysql <v2 database> < post_migration_checks.sql
    One labelled query per check, each returning check_name, value, expected (NULL: for reading). -#}
{%- set v2 = target.schema -%}
-- moh-migrate post-migration checks for {{ v2 }}. Every query returns: check_name, value, expected.

-- Rows per table
{% for table in all_v2_tables() -%}
select 'rows: {{ table }}' as check_name, count(*) as value, null as expected from `{{ v2 }}`.`{{ table }}`;
{% endfor %}
-- Orphans for every v2 foreign key (expected 0)
{% if execute -%}
{%- for node in graph.nodes.values() | sort(attribute='unique_id')
      if node.resource_type == 'test' and (node.test_metadata or {}).get('name') == 'foreign_key' -%}
  {%- set child = graph.nodes[node.attached_node].name -%}
  {%- set column = node.test_metadata.kwargs.column_name -%}
  {%- set parent = node.test_metadata.kwargs.to.split("'")[1] -%}
  {%- set field = node.test_metadata.kwargs.field -%}
select 'orphans: {{ child }}.{{ column }} -> {{ parent }}.{{ field }}' as check_name, count(*) as value, 0 as expected
from `{{ v2 }}`.`{{ child }}` c
where c.`{{ column }}` is not null
  and not exists (select 1 from `{{ v2 }}`.`{{ parent }}` p where p.`{{ field }}` = c.`{{ column }}`);
{% endfor %}
-- Duplicates of primary and unique keys (expected 0)
{% set keys = run_query(
    "select table_name, index_name, group_concat(column_name order by seq_in_index) from information_schema.statistics"
    ~ " where table_schema = " ~ sql_literal(v2) ~ " and non_unique = 0 group by table_name, index_name order by 1, 2") -%}
{%- for table, index, columns in keys -%}
{%- set cols = columns.split(',') -%}
select 'duplicates: {{ table }}.{{ index }} ({{ columns }})' as check_name, count(*) as value, 0 as expected
from (select 1 from `{{ v2 }}`.`{{ table }}` where {% for c in cols %}`{{ c }}` is not null{{ ' and ' if not loop.last }}{% endfor %}
      group by {% for c in cols %}`{{ c }}`{{ ', ' if not loop.last }}{% endfor %} having count(*) > 1) d;
{% endfor %}
-- Shared contact values, for reading: staff sharing an e-mail or phone, patients sharing a phone
select 'staff sharing an e-mail' as check_name, count(*) as value, null as expected
from (select email from `{{ v2 }}`.users where email is not null group by email having count(*) > 1) d;
select 'staff sharing a phone number' as check_name, count(*) as value, null as expected
from (select phone_number from `{{ v2 }}`.users where phone_number is not null group by phone_number having count(*) > 1) d;
select 'patients sharing a phone number (families often do)' as check_name, count(*) as value, null as expected
from (select phone_number from `{{ v2 }}`.patients where phone_number is not null group by phone_number having count(*) > 1) d;

-- Audit timestamps (expected 0): updated before created
{% set stamped = run_query(
    "select table_name from information_schema.columns where table_schema = " ~ sql_literal(v2)
    ~ " and column_name in ('created_at', 'updated_at') group by table_name having count(*) = 2 order by 1") -%}
{%- for (table,) in stamped -%}
select 'audit: {{ table }} rows updated before created' as check_name, count(*) as value, 0 as expected
from `{{ v2 }}`.`{{ table }}` where updated_at < created_at;
{% endfor %}
{%- endif %}
