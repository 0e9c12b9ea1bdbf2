{#-
  work_table: a table of the work schema (crosswalks, candidate rows) made by one
  CREATE TABLE ... AS SELECT with its keys declared up front and the rows inserted in key
  order: one pass over the data, no ALTER TABLE afterwards. It replaces the table an earlier run
  left. Config:
    primary_key    [column, ...]  (none: InnoDB's hidden row id)
    key_indexes    [[column, ...], ...]  secondary indexes; a column may carry a prefix length,
                   'row_key(255)', for a long text column (MySQL's key length limit;
                   PostgreSQL indexes the whole value)
    column_types   {column: type}  columns whose type is declared rather than taken from the
                   query (text columns that are NULL in one table and long in another)
-#}
{% materialization work_table, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing = load_cached_relation(this) -%}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ drop_relation_if_exists(existing) }}
  {% call statement('main') -%}
    {{ work_table_as(target_relation, sql, config.get('primary_key') or [], config.get('key_indexes') or [], config.get('column_types') or {}) }}
  {%- endcall %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{% macro work_table_as(relation, sql, primary_key, key_indexes, column_types) -%}
  {{ return(adapter.dispatch('work_table_as', 'moh_migrate')(relation, sql, primary_key, key_indexes, column_types)) }}
{%- endmacro %}

{% macro default__work_table_as(relation, sql, primary_key, key_indexes, column_types) -%}
  {%- set keys = [] -%}
  {%- for column, type in column_types.items() -%}
    {%- do keys.append(adapter.quote(column) ~ ' ' ~ type) -%}
  {%- endfor -%}
  {%- if primary_key -%}
    {%- do keys.append('primary key (' ~ quoted_columns(primary_key) ~ ')') -%}
  {%- endif -%}
  {%- for columns in key_indexes -%}
    {%- set names = [] -%}
    {%- for c in columns -%}{%- do names.append(c.split('(')[0]) -%}{%- endfor -%}
    {%- set name = ('by_' ~ (names | join('_')).lstrip('_'))[:64] -%}
    {%- do keys.append('key ' ~ adapter.quote(name) ~ ' (' ~ index_columns(columns) ~ ')') -%}
  {%- endfor -%}
create table {{ relation }} {% if keys %}(
    {{ keys | join(',\n    ') }}
) {% endif %}engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci as
select * from (
    {{ sql }}
) as work_rows
{%- if primary_key %}
order by {{ quoted_columns(primary_key) }}
{%- endif %}
{%- endmacro %}


{#- The columns of a key_indexes entry, quoted, each with its prefix length ('row_key(255)')
    unless prefixes=false. -#}
{% macro index_columns(columns, prefixes=true) -%}
  {%- for c in columns -%}
    {{ adapter.quote(c.split('(')[0]) }}{{ '(' ~ c.split('(')[1] if prefixes and '(' in c }}{{ ", " if not loop.last }}
  {%- endfor -%}
{%- endmacro %}
