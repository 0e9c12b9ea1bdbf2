{#- A staging model: the v1 table as it is. Staging renames nothing: v2 keeps the v1 column
    names, and the v2 models say what changes. -#}
{% macro stage_v1_table(table) %}
with source as (

    select * from {{ source('v1', table) }}

)

select * from source
{% endmacro %}
