{#- Where things live. The profile's schema is the v2 database; everything the migration builds
    for itself (staging views, crosswalks, audit) goes to one work schema beside it. -#}

{% macro work_schema() -%}
  {{- return(var('work_schema') or (target.schema ~ '_migrate')) -}}
{%- endmacro %}

{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name == 'work' -%}
    {{ work_schema() }}
  {%- else -%}
    {{ target.schema }}
  {%- endif -%}
{%- endmacro %}

{#- A relation in the v1 database, for reading its column list. Data is read through the
    staging models only. -#}
{% macro v1_relation(table) -%}
  {{- return(api.Relation.create(schema=var('v1_schema'), identifier=table, type='table')) -}}
{%- endmacro %}

{% macro work_relation(identifier) -%}
  {{- return(api.Relation.create(schema=work_schema(), identifier=identifier, type='table')) -}}
{%- endmacro %}

{% macro sql_literal(value) -%}
  {{- adapter.dispatch('sql_literal', 'moh_migrate')(value) -}}
{%- endmacro %}

{#- A string literal for MySQL and MariaDB (backslash is an escape character in both). -#}
{% macro default__sql_literal(value) -%}
  {%- if value is none -%}null
  {%- else -%}'{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
  {%- endif -%}
{%- endmacro %}

{% macro sql_list(values) -%}
  {%- for v in values -%}{{ sql_literal(v) }}{{ ", " if not loop.last }}{%- endfor -%}
{%- endmacro %}

{#- `a`, `b`: column names quoted for the adapter, comma-separated. -#}
{% macro quoted_columns(columns) -%}
  {%- for c in columns -%}{{ adapter.quote(c) }}{{ ", " if not loop.last }}{%- endfor -%}
{%- endmacro %}

{#- A NULL of the connection's text type. (MariaDB gives cast(null as char) the server's
    collation inside a view, which then clashes with the utf8mb4_unicode_ci columns.) -#}
{% macro null_text() -%}
  nullif('', '')
{%- endmacro %}
