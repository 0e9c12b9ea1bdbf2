{#- Errors the driver turns into exit codes: the text starts with a stable marker, so the driver
    never has to read dbt's wording. MOH-REFUSED: the pre-flight refused (exit 4);
    MOH-MAPPING: the mapping (vars) is wrong (exit 2). -#}
{% macro refuse(message) -%}
  {{ exceptions.raise_compiler_error("MOH-REFUSED: " ~ message) }}
{%- endmacro %}

{% macro bad_mapping(message) -%}
  {{ exceptions.raise_compiler_error("MOH-MAPPING: " ~ message) }}
{%- endmacro %}
