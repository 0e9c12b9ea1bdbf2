{#- Every non-null value is a canonical RFC 4122 UUID: lower-case hex, 8-4-4-4-12, a version
    digit 1-5 and the variant bits 10xx. -#}
{% test uuid_format(model, column_name) %}

select {{ adapter.quote(column_name) }} as malformed_uuid
from {{ model }} as tested
where {{ adapter.quote(column_name) }} is not null
  and not (
      {{ adapter.quote(column_name) }} regexp '^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
      -- regexp follows the column's case-insensitive collation; bytes rule out upper case
      and cast({{ adapter.quote(column_name) }} as binary) = cast(lower({{ adapter.quote(column_name) }}) as binary)
  )

{% endtest %}
