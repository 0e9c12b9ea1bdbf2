{#-
  on-run-start: var v1_schema names the v1 database on this server, holding the v1 tables the
  staging models read. Otherwise the run stops here with one line naming the var, instead of
  one "table doesn't exist" error per staging model. Not in a compile: it runs no hook, and a
  dry run with v1 on another server compiles from a schema snapshot.
-#}
{% macro refuse_missing_v1_schema() %}
  {%- if execute and flags.WHICH in ('run', 'build', 'test') -%}
    {%- set v1 = var('v1_schema') -%}
    {%- set exists = run_query(
        "select count(*) from information_schema.schemata where schema_name = " ~ sql_literal(v1)
      ).columns[0].values()[0] | int -%}
    {%- if not exists -%}
      {#- information_schema lists only the databases the account has a privilege on -#}
      {{ stop_run("v1_schema '" ~ v1 ~ "' is not a database on this server, or not one this account may read "
          ~ "(var v1_schema); name the v1 database, e.g. dbt build --vars '{v1_schema: old_moh}'") }}
    {%- endif -%}
    {%- set needed = [] -%}
    {%- for source in graph.sources.values() if source.source_name == 'v1' -%}
      {%- do needed.append(source.identifier) -%}
    {%- endfor -%}
    {%- set found = run_query(
        "select table_name from information_schema.tables where table_schema = " ~ sql_literal(v1)
      ).columns[0].values() | map('lower') | list -%}
    {%- set missing = needed | reject('in', found) | sort -%}
    {%- if missing -%}
      {{ stop_run("v1_schema '" ~ v1 ~ "' lacks " ~ (missing | length) ~ " of the " ~ (needed | length)
          ~ " v1 tables the staging models read (" ~ (missing[:8] | join(', ')) ~ ('...' if missing | length > 8 else '')
          ~ "); is it the v1 database? (var v1_schema)") }}
    {%- endif -%}
  {%- endif -%}
  select 1
{% endmacro %}
