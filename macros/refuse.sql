{#- Stops the run with a message the driver turns into its exit code. The driver looks for the
    marker, not for dbt's wording, and prints the message without it:
      refuse(message)       "MOH-REFUSED: "  pre-flight refused: exit 4
      bad_mapping(message)  "MOH-MAPPING: "  the mapping (vars) cannot work: exit 2
      stop_run(message)     "MOH-REFUSED: "  the same, from an on-run-start hook (see below) -#}

{% macro refuse(message) -%}
  {{ exceptions.raise_compiler_error("MOH-REFUSED: " ~ message) }}
{%- endmacro %}

{% macro bad_mapping(message) -%}
  {{ exceptions.raise_compiler_error("MOH-MAPPING: " ~ message) }}
{%- endmacro %}

{#- In an on-run-start hook, refuse() only marks the hook failed: dbt 1.7 then runs every node
    anyway. stop_run raises the one error of dbt's Jinja context that its hook runner does not
    catch (a dependency error), so the whole invocation ends there, before any node runs:
    "Encountered an error: MOH-REFUSED: ..." and exit 2 for plain dbt; the driver reads the
    marker from the error event as for refuse() (exit 4). -#}
{% macro stop_run(message) -%}
  {{ exceptions.raise_dependency_error("MOH-REFUSED: " ~ message) }}
{%- endmacro %}
