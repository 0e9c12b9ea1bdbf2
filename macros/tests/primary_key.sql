{#- The column is the table's primary key: no NULL and no value twice. dbt's unique and not_null
    in one query, so a v2 table's key costs one test node, not two. A failing row is a key value
    with its copies (a NULL key is reported as a row whose key_value is NULL). -#}
{% test primary_key(model, column_name) %}

select {{ adapter.quote(column_name) }} as key_value, count(*) as copies
from {{ model }} as tested
group by {{ adapter.quote(column_name) }}
having count(*) > 1 or {{ adapter.quote(column_name) }} is null

{% endtest %}
