{#- Every non-null value of the column exists in the parent: the v2 foreign key holds.
    Returns the orphaned child values. -#}
{% test foreign_key(model, column_name, to, field) %}

select child.{{ adapter.quote(column_name) }} as orphaned_value
from {{ model }} as child
where child.{{ adapter.quote(column_name) }} is not null
  and not exists (
      select 1
      from {{ to }} as parent
      where parent.{{ adapter.quote(field) }} = child.{{ adapter.quote(column_name) }}
  )

{% endtest %}
