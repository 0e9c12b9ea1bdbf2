{#-
  Compare a v2 table with the v1 table it is loaded from, before anything is written.
  Returns the v2 columns (in order), the enum remaps that apply, and which NOT NULL v2 columns
  may receive a NULL. Stops with one message naming the table and every column that no rule
  covers: a missing v2 table, a v2 column with no v1 source, a v1 column with no v2 home, a type
  change across families (a string into an integer, ...). Values within a family that v2 cannot
  store (an enum value v2 lacks, a string too long) are the value scan's (storable.sql).
-#}
{% macro v2_column_plan(table, spec) %}
  {%- set plan = v2_column_check(table, spec) -%}
  {%- if plan.problems -%}
    {{ refuse(plan.problems | join('\n')) }}
  {%- endif -%}
  {{- return(plan) -}}
{% endmacro %}


{#- The same comparison, returning the problems (one message per table) instead of stopping. -#}
{% macro v2_column_check(table, spec) %}
  {%- set v2_schema = var('v2_schema', none) or target.schema -%}
  {%- set v1_table = spec.get('v1_table', table) -%}
  {%- set v2_columns = table_columns(v2_schema, table) -%}
  {%- set v1_columns = table_columns(var('v1_schema'), v1_table) -%}
  {%- if not v2_columns -%}
    {{ return({'problems': ["v2 table " ~ v2_schema ~ "." ~ table ~ " does not exist; create the v2 schema (the v2 application's DDL) before migrating"]}) }}
  {%- endif -%}
  {%- if not v1_columns -%}
    {{ return({'problems': ["v1 table " ~ var('v1_schema') ~ "." ~ v1_table ~ " does not exist or is not readable"]}) }}
  {%- endif -%}
  {%- set v1 = columns_by_name(v1_columns) -%}
  {%- set v2_names = v2_columns | map(attribute='name') | list -%}
  {#- a shaping model (spec base) gives every v2 column itself -#}
  {%- set handled = v2_columns | map(attribute='name') | list if 'base' in spec else spec.get('patient_refs', []) -%}

  {%- set remaps = {} -%}
  {%- for key, remap in var('enum_remaps', {}).items() -%}
    {%- if key.split('.')[0] == table -%}
      {%- do remaps.update({key.split('.')[1]: remap}) -%}
    {%- endif -%}
  {%- endfor -%}

  {%- set problems = [] -%}
  {%- set may_be_null = [] -%}
  {%- for column in remaps -%}
    {%- if column not in v2_names or column not in v1 -%}
      {%- do problems.append("enum remap for " ~ column ~ ": no such column on both sides") -%}
    {%- endif -%}
  {%- endfor -%}
  {%- for c in v2_columns -%}
    {%- if c.name in handled -%}
      {%- do may_be_null.append(c.name) -%}
    {%- elif c.name not in v1 -%}
      {%- do problems.append("v2 column " ~ c.name ~ " has no v1 column and no rule") -%}
    {%- else -%}
      {%- set old = v1[c.name] -%}
      {%- if old.nullable -%}{%- do may_be_null.append(c.name) -%}{%- endif -%}
      {#- A type that changed within its family (a wider or narrower string, integer or enum,
          as a drifted legacy schema has) is left to the value scan (storable.sql): only the
          values v2 cannot store matter. Across families no rule converts. -#}
      {%- if column_type_facts(old.type).normalized != column_type_facts(c.type).normalized
            and not types_convertible(old.type, c.type) -%}
        {%- do problems.append(c.name ~ " changes type (" ~ old.type ~ " -> " ~ c.type ~ ") and no rule converts it") -%}
      {%- endif -%}
      {%- for value, target_value in remaps.get(c.name, {}).items() -%}
        {%- if target_value is none -%}{%- do may_be_null.append(c.name) -%}{%- endif -%}
      {%- endfor -%}
    {%- endif -%}
  {%- endfor -%}
  {%- for name in v1 -%}
    {%- if name not in v2_names and name not in spec.get('dropped', {}) -%}
      {%- do problems.append("v1 column " ~ name ~ " has no v2 home and is not declared dropped") -%}
    {%- endif -%}
  {%- endfor -%}

  {%- if problems -%}
    {%- set problems = ["v2 table " ~ v2_schema ~ "." ~ table ~ " does not match what the migration produces: " ~ (problems | join('; '))] -%}
  {%- endif -%}
  {{- return({
      'problems': problems,
      'v2_columns': v2_columns,
      'v1_names': v1_columns | map(attribute='name') | list,
      'remaps': remaps,
      'may_be_null': may_be_null}) -}}
{% endmacro %}


{#- Whether values of one column type can go into another and be checked one by one. -#}
{% macro types_convertible(old_type, new_type) %}
  {%- set old = column_type_facts(old_type).family -%}
  {%- set new = column_type_facts(new_type).family -%}
  {{- return(old == new or (old == 'enum' and new == 'string') or (old == 'integer' and new == 'decimal')
             or (old in ('enum', 'string') and new == 'enum')) -}}
{% endmacro %}
