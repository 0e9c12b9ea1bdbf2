{#- Column facts read from information_schema, which (unlike SHOW COLUMNS through dbt's
    get_columns_in_relation) also says whether a column is nullable. -#}

{% macro table_columns(schema, table) -%}
  {#- The driver passes var schema_snapshot when a schema lives on another server than dbt's
      (a dry run with v1 and v2 on two servers): {schema: {table: [[name, type, nullable, primary]]}} -#}
  {%- set snapshot = var('schema_snapshot', {}) -%}
  {%- if schema in snapshot -%}
    {%- set columns = [] -%}
    {%- for name, type, nullable, primary in snapshot[schema].get(table, []) -%}
      {%- do columns.append({'name': name, 'type': type, 'nullable': nullable, 'primary': primary}) -%}
    {%- endfor -%}
    {{- return(columns) -}}
  {%- endif -%}
  {{- return(adapter.dispatch('table_columns', 'moh_migrate')(schema, table)) -}}
{%- endmacro %}

{#- Columns as MySQL's information_schema tells them: column_type (enum values included),
    nullable, part of the primary key. (macros/postgres.sql: the same facts on PostgreSQL.) -#}
{% macro default__table_columns(schema, table) -%}
  {%- set rows = run_query(
      "select column_name, column_type, is_nullable, column_key from information_schema.columns"
      ~ " where table_schema = " ~ sql_literal(schema) ~ " and table_name = " ~ sql_literal(table)
      ~ " order by ordinal_position") -%}
  {%- set columns = [] -%}
  {%- for r in rows -%}
    {%- do columns.append({
        'name': r[0] | lower,
        'type': r[1],
        'nullable': r[2] == 'YES',
        'primary': r[3] == 'PRI'}) -%}
  {%- endfor -%}
  {{- return(columns) -}}
{%- endmacro %}

{% macro columns_by_name(columns) -%}
  {%- set by_name = {} -%}
  {%- for c in columns -%}{%- do by_name.update({c.name: c}) -%}{%- endfor -%}
  {{- return(by_name) -}}
{%- endmacro %}

{#- The values of an enum column type, e.g. "enum('a','b')" -> ['a', 'b']. -#}
{% macro enum_values(column_type) -%}
  {%- if not column_type.startswith('enum(') -%}{{ return([]) }}{%- endif -%}
  {%- set inner = column_type[5:-1] -%}
  {%- set values = [] -%}
  {%- for part in inner.split("','") -%}
    {%- do values.append(part.strip("'").replace("''", "'")) -%}
  {%- endfor -%}
  {{- return(values) -}}
{%- endmacro %}

{#- The unique keys of a table other than its primary key: [[column, ...], ...]. The driver
    passes var schema_unique_keys ({schema: {table: [[...]]}}) when a schema is on another
    server than dbt's (a dry run with v1 and v2 on two servers). -#}
{% macro unique_keys(schema, table) -%}
  {%- set snapshot = var('schema_unique_keys', {}) -%}
  {%- if schema in snapshot -%}
    {{- return(snapshot[schema].get(table, [])) -}}
  {%- endif -%}
  {{- return(adapter.dispatch('unique_keys', 'moh_migrate')(schema, table)) -}}
{%- endmacro %}

{% macro default__unique_keys(schema, table) -%}
  {%- set rows = run_query(
      "select index_name, column_name from information_schema.statistics"
      ~ " where table_schema = " ~ sql_literal(schema) ~ " and table_name = " ~ sql_literal(table)
      ~ " and non_unique = 0 and index_name <> 'PRIMARY' order by index_name, seq_in_index") -%}
  {%- set keys = {} -%}
  {%- for index, column in rows -%}
    {%- do keys.setdefault(index, []).append(column | lower) -%}
  {%- endfor -%}
  {{- return(keys.values() | list) -}}
{%- endmacro %}

{#- SQL giving (table, index, comma-separated columns) of every primary and unique index of a
    schema (post_migration_checks.sql's duplicate checks). -#}
{% macro unique_index_columns_sql(schema) -%}
  {{- return(adapter.dispatch('unique_index_columns_sql', 'moh_migrate')(schema)) -}}
{%- endmacro %}

{% macro default__unique_index_columns_sql(schema) -%}
  {{- return("select table_name, index_name, group_concat(column_name order by seq_in_index) from information_schema.statistics"
    ~ " where table_schema = " ~ sql_literal(schema) ~ " and non_unique = 0 group by table_name, index_name order by 1, 2") -}}
{%- endmacro %}
