{#- Stops the run with a message the driver turns into its exit code. The driver looks for the
    marker, not for dbt's wording, and prints the message without it:
      refuse(message)       "MOH-REFUSED: "  pre-flight refused: exit 4
      bad_mapping(message)  "MOH-MAPPING: "  the mapping (vars) cannot work: exit 2 -#}

{% macro refuse(message) -%}
  {{ exceptions.raise_compiler_error("MOH-REFUSED: " ~ message) }}
{%- endmacro %}

{% macro bad_mapping(message) -%}
  {{ exceptions.raise_compiler_error("MOH-MAPPING: " ~ message) }}
{%- endmacro %}
