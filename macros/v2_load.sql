{#-
  The query behind every v2 model: one row per v1 row, shaped as the v2 table, plus three
  audit columns the v2_table materialization splits on:

    _row_key        the v1 key of the row ("id=42"), for the exceptions report
    _reject_reason  not null: the row cannot be loaded (it goes to the exceptions as rejected)
    _change_reason  not null: the row loads, but a value was changed on the way (recorded too)

  What a table needs beyond a plain copy is declared in its model file as a spec:

    unique_key    the v2 primary key columns (load order, key tests); none: no primary key
    references    {column: parent model}: a v2 foreign key (or a plain reference) checked against
                  the rows actually loaded into the parent. A dangling value rejects the row when
                  the v2 column is NOT NULL, and is set to NULL (and recorded) when it is nullable.
    patient_refs  [column]: the v1 value is a patients.id; it becomes that patient's UUID.
    column_sql    {v2 column: SQL}: the value of a column, in terms of the aliases below.
    joins         [[alias, model, on]]: more models to join (left join).
    dropped       {v1 column: why}: v1 columns with no v2 column of the same name.
    where         rows of the base to consider at all (others belong to another v2 table).
    rejects       [[condition, reason]], changes [[condition, reason]]: table-specific rules.
    base          the model read as alias "s" (default: the table's staging model).
    row_key       SQL for _row_key (default: the unique_key columns of s).

  Every column whose type differs between v1 and v2 must be handled by a rule; enum values v1
  has and v2 lacks must be remapped (var enum_remaps). Anything else stops the run here, before
  a row is written, naming the table and the columns.
-#}

{% macro v2_load(spec) %}
  {#- Dependencies are declared at parse time, so ref() runs before the execute guard. -#}
  {%- set table = model.name -%}
  {%- do ref('int_v2_tables_checked') -%}
  {%- set base = ref(spec.get('base', 'stg_v1__' ~ table)) -%}
  {%- set parents = {} -%}
  {%- for column, parent in spec.get('references', {}).items() -%}
    {%- do parents.update({column: ref(parent)}) -%}
  {%- endfor -%}
  {%- set joined = [] -%}
  {%- for alias, join_model, on in spec.get('joins', []) -%}
    {%- do joined.append([alias, ref(join_model), on]) -%}
  {%- endfor -%}
  {%- if spec.get('patient_refs') -%}
    {%- set patient_uuids = ref('int_patients_minted') -%}
    {%- do ref('patients') if table != 'patients' -%}
  {%- endif -%}
  {%- if 'users' in spec.get('references', {}).values() -%}
    {%- set classified_users = ref('int_users_classified') -%}
  {%- endif -%}
  {%- if not execute -%}
    {{ return('select 1 as _parse_only') }}
  {%- endif -%}

  {%- set plan = v2_column_plan(table, spec) -%}
  {%- set rejects = [] -%}
  {%- set changes = [] -%}
  {%- set joins = [] -%}
  {%- set select_exprs = [] -%}

  {%- for c in plan.v2_columns -%}
    {%- set name = c.name -%}
    {%- set quoted = adapter.quote(name) -%}

    {#- The value as v1 gives it, after rewiring and remapping. -#}
    {%- if name in spec.get('column_sql', {}) -%}
      {%- set value = spec.column_sql[name] -%}
    {%- elif name in spec.get('patient_refs', []) -%}
      {%- set alias = 'pu_' ~ name -%}
      {%- do joins.append('left join ' ~ patient_uuids ~ ' ' ~ alias ~ ' on ' ~ alias ~ '.v1_patient_id = s.' ~ quoted) -%}
      {%- set value = alias ~ '.patient_uuid' -%}
      {%- set dangling = 's.' ~ quoted ~ ' is not null and ' ~ alias ~ '.patient_uuid is null' -%}
      {%- set why = "concat('" ~ name ~ "=', s." ~ quoted ~ ", ' has no v1 patients row')" -%}
      {%- do (rejects if not c.nullable else changes).append([dangling, why if not c.nullable else "concat('set NULL: ', " ~ why ~ ")"]) -%}
    {%- elif name in plan.remaps -%}
      {%- set remap = plan.remaps[name] -%}
      {%- set value -%}
        case s.{{ quoted }}{% for old, new in remap.items() %} when {{ sql_literal(old) }} then {{ sql_literal(new) }}{% endfor %} else s.{{ quoted }} end
      {%- endset -%}
      {%- set lossy = [] -%}
      {%- for old, new in remap.items() -%}
        {%- if new is none or (old | lower) != (new | lower) -%}{%- do lossy.append(old) -%}{%- endif -%}
      {%- endfor -%}
      {%- if lossy -%}
        {%- do changes.append([
            's.' ~ quoted ~ ' in (' ~ sql_list(lossy) ~ ')',
            "concat('" ~ name ~ " ', s." ~ quoted ~ ", ' -> ', coalesce(" ~ value ~ ", 'NULL'))"]) -%}
      {%- endif -%}
    {%- else -%}
      {%- set value = 's.' ~ quoted -%}
    {%- endif -%}

    {#- A reference is kept only if the parent row was loaded. -#}
    {%- if name in parents -%}
      {%- set parent = parents[name] -%}
      {%- set parent_key = adapter.quote(parent_key_column(spec.references[name])) -%}
      {%- set alias = 'p_' ~ name -%}
      {%- do joins.append('left join ' ~ parent ~ ' ' ~ alias ~ ' on ' ~ alias ~ '.' ~ parent_key ~ ' = ' ~ value ~ loaded_rows_only(alias)) -%}
      {%- set dangling = '(' ~ value ~ ') is not null and ' ~ alias ~ '.' ~ parent_key ~ ' is null' -%}
      {%- if spec.references[name] == 'users' -%}
        {#- Say why a user is missing: a patient now lives in v2 patients, not users. -#}
        {%- set why -%}
          concat('{{ name }}=', {{ value }}, case (select uc.classification from {{ classified_users }} uc where uc.user_id = {{ value }})
            when 'patient' then ' is a patient user (v2 users holds staff only)'
            when 'unclassifiable' then ' is an unclassifiable user'
            else ' not in users' end)
        {%- endset -%}
      {%- else -%}
        {%- set why = "concat('" ~ name ~ "=', " ~ value ~ ", ' not in " ~ spec.references[name] ~ "')" -%}
      {%- endif -%}
      {%- if c.nullable -%}
        {%- do changes.append([dangling, "concat('set NULL: ', " ~ why ~ ")"]) -%}
      {%- else -%}
        {%- do rejects.append([dangling, why]) -%}
      {%- endif -%}
      {%- set value = alias ~ '.' ~ parent_key -%}
    {%- endif -%}

    {#- v2 demands a value that v1 may not have. -#}
    {%- if not c.nullable and name in plan.may_be_null and name not in spec.get('patient_refs', []) -%}
      {%- do rejects.append(['(' ~ value ~ ') is null', "'" ~ name ~ " is NULL; v2 requires a value'"]) -%}
    {%- endif -%}

    {%- do select_exprs.append(value ~ ' as ' ~ quoted) -%}
  {%- endfor -%}

  {#- the table's own rules first: they say most precisely what is wrong -#}
  {%- set rejects = spec.get('rejects', []) + rejects -%}
  {%- set changes = spec.get('changes', []) + changes -%}
  {%- for alias, relation, on in joined -%}
    {%- set is_v2_table = spec.joins[loop.index0][1] in migrated_tables() -%}
    {%- do joins.insert(loop.index0, 'left join ' ~ relation ~ ' ' ~ alias ~ ' on ' ~ on ~ (loaded_rows_only(alias) if is_v2_table else '')) -%}
  {%- endfor %}

select
    {{ select_exprs | join(',\n    ') }},
    {{ spec.get('row_key') or row_key_sql(spec.get('unique_key') or plan.v1_names) }} as _row_key,
    {{ reasons_sql(rejects) }} as _reject_reason,
    {{ reasons_sql(changes) }} as _change_reason
from {{ base }} s
{{ joins | join('\n') }}
{%- if spec.get('where') %}
where {{ spec.where }}
{%- endif %}
{% endmacro %}


{#- "a=1,b=2" from key columns of s; NULL parts spelled out so a key is never NULL. -#}
{% macro row_key_sql(columns) -%}
  concat({% for c in columns %}'{{ "," if not loop.first }}{{ c }}=', coalesce(s.{{ adapter.quote(c) }}, 'NULL'){{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}

{#- All reasons that apply, joined with "; ", or NULL when none does. A rule that matches is
    never lost to a NULL inside its reason text: the condition itself is reported instead. -#}
{% macro reasons_sql(rules) -%}
  {%- if not rules -%}cast(null as char)
  {%- else -%}
  nullif(concat_ws('; '{% for condition, why in rules %},
        case when {{ condition }} then coalesce({{ why }}, {{ sql_literal('rule matched: ' ~ condition) }}) end{% endfor %}), '')
  {%- endif -%}
{%- endmacro %}

{#- Joined to a v2 table, only its loaded rows count. In a dry run (plan_only) the "table" is
    the parent model's query, which still holds the rows it would reject. -#}
{% macro loaded_rows_only(alias) -%}
  {%- if var('plan_only') %} and {{ alias }}._reject_reason is null{% endif -%}
{%- endmacro %}

{#- The key column of a parent model: its spec's single unique_key. -#}
{% macro parent_key_column(parent) -%}
  {{- return('patient_id' if parent == 'patients' else 'id') -}}
{%- endmacro %}
