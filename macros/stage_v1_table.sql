{#- A staging model: the v1 table as it is (with --limit, only the sample: see sample.sql).
    Staging renames nothing: v2 keeps the v1 column names, and the v2 models say what changes. -#}
{% macro stage_v1_table(table) %}
with source as (

    select * from {{ source('v1', table) }} as v1_rows
    {%- if var('sample_patients') %}
    where {{ sample_predicate(table) }}
    {%- endif %}

)

select * from source
{% endmacro %}
