{#-
  Compare a v2 table with the v1 table it is loaded from, before anything is written.
  Returns the v2 columns (in order), the enum remaps that apply, and which NOT NULL v2 columns
  may receive a NULL. Stops with one message naming the table and every column that no rule
  covers: a missing v2 table, a v2 column with no v1 source, a v1 column with no v2 home, a type
  change with no rule, a v1 enum value v2 lacks and no remap handles.
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
  {%- set handled = (spec.get('column_sql', {}).keys() | list) + spec.get('patient_refs', []) -%}

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
      {%- if old.type != c.type -%}
        {%- set old_values = enum_values(old.type) -%}
        {%- set new_values = enum_values(c.type) -%}
        {%- if not (old_values and new_values) -%}
          {%- do problems.append(c.name ~ " changes type (" ~ old.type ~ " -> " ~ c.type ~ ") and no rule converts it") -%}
        {%- else -%}
          {%- set remap = remaps.get(c.name, {}) -%}
          {%- for value in old_values -%}
            {%- set target_value = remap[value] if value in remap else value -%}
            {%- if target_value is not none and target_value not in new_values -%}
              {%- do problems.append(c.name ~ " value " ~ value ~ " has no v2 enum value; add it to enum_remaps") -%}
            {%- endif -%}
          {%- endfor -%}
          {%- for value, target_value in remap.items() -%}
            {%- if target_value is none -%}{%- do may_be_null.append(c.name) -%}{%- endif -%}
          {%- endfor -%}
        {%- endif -%}
      {%- endif -%}
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
