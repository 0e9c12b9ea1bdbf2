{#-
  The v2 table holds, byte for byte, the v1 rows it was loaded from: an order-independent
  checksum (row count and two 60-bit sums of per-row MD5s) of the v2 rows equals that of the
  v1 rows with the same key. Rows the exceptions log names (rejected or changed) are left out
  on both sides; that the counts add up is the reconciles test's job.
  For tables copied unchanged; person columns a cleaning rule changes (users) are left out.
  Returns one row when the checksums differ.
-#}
{% test same_content_as_v1(model, v1) %}
{%- set log = ref('migration_exceptions') -%}
{%- if not execute or var('plan_only') -%}{{ return('select 1 as not_checked_in_a_dry_run where false') }}{%- endif -%}
{%- set spec = v2_spec(model.identifier) -%}
{%- set key = spec.get('unique_key') or [] -%}
{%- set computed = cleaned_person_columns() if model.identifier == 'users' else [] -%}
{%- set columns = adapter.get_columns_in_relation(model) | map(attribute='name') | reject('in', computed) | list -%}

with v1_rows as (

    select s.*
    from {{ v1 }} s
    where {{ row_key_sql(key or columns) }} not in (
        select row_key from {{ log }} where table_name = {{ sql_literal(model.identifier) }})
    {%- if key %}
      and exists (
          select 1 from {{ model }} v2
          where {% for k in key %}v2.{{ adapter.quote(k) }} = s.{{ adapter.quote(k) }}{{ " and " if not loop.last }}{% endfor %})
    {%- endif %}

),

v2_rows as (

    select s.*
    from {{ model }} s
    where {{ row_key_sql(key or columns) }} not in (
        select row_key from {{ log }} where table_name = {{ sql_literal(model.identifier) }})

),

checksums as (

    select 'v1' as side, {{ rows_checksum(columns) }} from v1_rows
    union all
    select 'v2' as side, {{ rows_checksum(columns) }} from v2_rows

)

select
    v1.row_count as v1_rows, v2.row_count as v2_rows,
    v1.sum_a as v1_sum_a, v2.sum_a as v2_sum_a,
    v1.sum_b as v1_sum_b, v2.sum_b as v2_sum_b
from checksums v1, checksums v2
where v1.side = 'v1' and v2.side = 'v2'
  and not (v1.row_count = v2.row_count and v1.sum_a = v2.sum_a and v1.sum_b = v2.sum_b)

{% endtest %}


{% macro rows_checksum(columns) -%}
  {{- adapter.dispatch('rows_checksum', 'moh_migrate')(columns) -}}
{%- endmacro %}

{% macro default__rows_checksum(columns) -%}
  {%- set row_hash -%}
    md5(concat_ws('|'{% for c in columns %}, quote({{ adapter.quote(c) }}){% endfor %}))
  {%- endset -%}
  count(*) as row_count,
  coalesce(sum(cast(conv(substr({{ row_hash }}, 1, 15), 16, 10) as unsigned)), 0) as sum_a,
  coalesce(sum(cast(conv(substr({{ row_hash }}, 16, 15), 16, 10) as unsigned)), 0) as sum_b
{%- endmacro %}
