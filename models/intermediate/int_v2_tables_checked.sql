{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- The pre-flight every v2 model waits for: each v2 table this run loads exists and has the
    columns the migration produces (see v2_column_plan). If one does not, this model fails
    while compiling, naming the table and columns, and no v2 table is written. -#}
{%- set checked = [] -%}
{%- set problems = [] -%}
{%- if execute -%}
  {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.get('spec') is not none -%}
    {%- do problems.extend(v2_column_check(node.name, node.config.get('spec', {})).problems) -%}
    {%- do checked.append(node.name) -%}
  {%- endfor -%}
  {%- if problems -%}
    {{ refuse("pre-flight: nothing was written to v2.\n" ~ (problems | sort | join('\n'))) }}
  {%- endif -%}
{%- endif %}

{%- for table in checked | sort %}
select {{ sql_literal(table) }} as table_name
{{ 'union all' if not loop.last }}
{%- else %}
select cast(null as char) as table_name
{%- endfor %}
