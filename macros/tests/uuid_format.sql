{#- Every non-null value is a canonical RFC 4122 UUID: lower-case hex, 8-4-4-4-12, a version
    digit 1-5 and the variant bits 10xx. -#}
{% test uuid_format(model, column_name) %}

select {{ adapter.quote(column_name) }} as malformed_uuid
from {{ model }} as tested
where {{ adapter.quote(column_name) }} is not null
  and not (
      {{ uuid_format_condition(adapter.quote(column_name)) }}
  )

{% endtest %}


{% macro uuid_format_condition(column) -%}
  {{- adapter.dispatch('uuid_format_condition', 'moh_migrate')(column) -}}
{%- endmacro %}

{% macro default__uuid_format_condition(column) -%}
      {{ column }} regexp '^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
      -- regexp follows the column's case-insensitive collation; bytes rule out upper case
      and cast({{ column }} as binary) = cast(lower({{ column }}) as binary)
{%- endmacro %}

{#- A UUID as text of the connection's collation (the tests' own literals). -#}
{% macro uuid_text(expression) -%}
  {{- adapter.dispatch('uuid_text', 'moh_migrate')(expression) -}}
{%- endmacro %}

{% macro default__uuid_text(expression) -%}
  cast({{ expression }} as char(36)) collate utf8mb4_unicode_ci
{%- endmacro %}
