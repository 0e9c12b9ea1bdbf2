{#-
  The rules every v2 table goes through, in one query per table: each v1 row (or each row of a
  shaping model) shaped as its v2 row, with the verdict of every rule. The models
  int_<table>_checked call it; the v2 model then loads the rows that were not rejected.

  Columns of the result: the v2 columns (final values), the carried columns of the spec, and
    _row_key         the v1 key of the row ("id=42"), for the exceptions report
    _reject_reason   not null: the row is not loaded (every reason that applies, "; "-joined)
    _change_reason   not null: the row loads with a value changed on the way
    _root_table, _root_key, _root_reason
                     for a row rejected or changed because a row it points at was rejected:
                     the first rejected ancestor (NULL: the row is its own root)
    _unstorable      JSON list of the values v2 could not store, with the policy applied
    _audit           1 when any of the above is set (indexed: the exceptions are read by it)

  The spec of each table is in v2_specs.sql (every key optional):
    unique_key       the v2 primary key columns (candidate table key, load order); none: no key
    references       {column: parent table}: kept only if the parent row loads; else the row is
                     rejected (NOT NULL column) or the value set NULL and the row listed
    patient_refs     [column]: the v1 value is a patients.id; it becomes that patient's UUID
    base             the model read as "s" (default stg_v1__<table>). A shaping model gives every
                     v2 column itself plus _row_key, _reject_reason and _change_reason
    v1_table         the v1 table the pre-flight compares with (default: the table)
    dropped          {v1 column: why}: v1 columns with no v2 column of the same name
    carried          [column]: columns of the base (named _...) kept on the candidate rows
    indexes          [[column, ...]]: more indexes on the candidate table (children look up by them)
    v1_unique_keys   [[column, ...]]: v2 unique keys a shaping model's rows hold unique because
                     v1 does (patients.national_id: v1's unique national_number)
    base_rejects     false: the shaping model never rejects a row (patients)

  Beyond the spec: enum remaps (var enum_remaps), values v2 cannot store (see storable.sql;
  var unstorable_values), NULL into NOT NULL, and duplicates of v2's unique keys.
-#}

{% macro v2_checked() %}
  {%- set table = checked_table_name() -%}
  {%- set spec = v2_spec(table) -%}
  {%- do config(spec=spec) -%}
  {#- Dependencies are declared at parse time, so every ref() runs before the execute guard. -#}
  {%- do ref('int_v2_tables_checked') -%}
  {%- set base = ref(spec.get('base', 'stg_v1__' ~ table)) -%}
  {%- set parents = {} -%}
  {%- for column, parent in spec.get('references', {}).items() -%}
    {%- do parents.update({column: ref('int_' ~ parent ~ '_checked')}) -%}
  {%- endfor -%}
  {%- if spec.get('patient_refs') -%}
    {%- set patients = ref('int_patients_checked') -%}
  {%- endif -%}
  {%- if 'users' in spec.get('references', {}).values() -%}
    {%- set classified_users = ref('int_users_classified') -%}
  {%- endif -%}
  {#- the candidate table: keyed like the v2 table, the exceptions found through _audit -#}
  {%- do config(primary_key=spec.get('unique_key') or [], key_indexes=[['_audit']] + spec.get('indexes', []),
                column_types=audit_column_types()) -%}
  {%- if spec.get('self_references') and not var('plan_only') -%}
    {#- rendered when the model runs, so that `this` is the candidate table in the work schema -#}
    {%- do config(post_hook=["{{ unload_rejected_relatives(this, v2_spec('" ~ table ~ "')) }}"]) -%}
  {%- endif -%}
  {%- if not execute -%}
    {{ return('select 1 as _parse_only') }}
  {%- endif -%}

  {%- set shaped = 'base' in spec -%}
  {%- set plan = v2_column_plan(table, spec) -%}
  {%- set v1_types = {} -%}
  {%- if not shaped -%}
    {%- for c in table_columns(var('v1_schema'), spec.get('v1_table', table)) -%}
      {%- do v1_types.update({c.name: c.type}) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- set rules = [] -%}      {#- [kind, condition, reason, root or none], in the order they are reported -#}
  {%- set joins = [] -%}
  {%- set select_exprs = [] -%}
  {%- set unstorable = [] -%}

  {#- a shaping model's own verdict comes first; its root columns name a rejected row it
      depends on (NULL: the row is its own root) -#}
  {%- if shaped and spec.get('base_rejects', true) -%}
    {%- do rules.append(['reject', 's._reject_reason is not null', 's._reject_reason',
        {'table': 's._root_table', 'key': 's._root_key', 'reason': 's._root_reason'}]) -%}
  {%- endif -%}
  {%- if shaped -%}
    {%- do rules.append(['change', 's._change_reason is not null', 's._change_reason', none]) -%}
  {%- endif -%}

  {%- for c in plan.v2_columns -%}
    {%- set name = c.name -%}
    {%- set quoted = adapter.quote(name) -%}
    {%- set source = 's.' ~ quoted -%}
    {%- set value = source -%}

    {%- if name in spec.get('patient_refs', []) -%}
      {#- A v1 patients.id becomes the UUID of the patient made from that row, if it loads. -#}
      {%- set p = 'pr_' ~ name -%}
      {%- do joins.append('left join ' ~ patients ~ ' ' ~ p ~ ' on ' ~ p ~ '._v1_patient_id = ' ~ source) -%}
      {%- set value = 'case when ' ~ p ~ '._reject_reason is null then ' ~ p ~ '.patient_id end' -%}
      {%- do dangling_rules(rules, c, source, p, 'patients', 'patient_id',
            "concat('" ~ name ~ "=', " ~ source ~ ", ' has no v1 patients row')") -%}
    {%- elif name in plan.remaps -%}
      {%- set remap = plan.remaps[name] -%}
      {%- set value -%}
        case {{ source }}{% for old, new in remap.items() %} when {{ sql_literal(old) }} then {{ sql_literal(new) }}{% endfor %} else {{ source }} end
      {%- endset -%}
      {%- set lossy = [] -%}
      {%- for old, new in remap.items() -%}
        {%- if new is none or (old | lower) != (new | lower) -%}{%- do lossy.append(old) -%}{%- endif -%}
      {%- endfor -%}
      {%- if lossy -%}
        {%- do rules.append(['change', source ~ ' in (' ~ sql_list(lossy) ~ ')',
            "concat('" ~ name ~ " ', " ~ source ~ ", ' -> ', coalesce(" ~ value ~ ", 'NULL'))", none]) -%}
      {%- endif -%}
    {%- endif -%}

    {#- Values v2 cannot store: found here row by row, listed, and handled by policy. -#}
    {%- if name not in spec.get('patient_refs', []) -%}
      {%- set source_type = none if (shaped or name in plan.remaps) else v1_types.get(name) -%}
      {%- set stored = namespace(value=value) -%}  {#- a for loop cannot reassign `value` itself -#}
      {%- for check in unstorable_checks(value, c.type, source_type) -%}
        {%- set policy = unstorable_policy(table, name) -%}
        {%- set why = "concat('" ~ name ~ " ', " ~ check.shown ~ ", ' cannot be stored in v2 (" ~ check.problem ~ ", " ~ c.type | replace("'", "") ~ ")')" -%}
        {%- set condition = '(' ~ value ~ ') is not null and ' ~ check.condition -%}
        {%- do unstorable.append([condition, name, check.problem, check.shown, policy]) -%}
        {%- if policy == 'set_null' -%}
          {%- do rules.append(['change', condition, "concat('set NULL: ', " ~ why ~ ")", none]) -%}
          {%- set stored.value = 'case when ' ~ condition ~ ' then null else ' ~ stored.value ~ ' end' -%}
        {%- else -%}
          {%- do rules.append(['reject', condition, ("concat('refused: ', " ~ why ~ ")") if policy == 'refuse' else why, none]) -%}
        {%- endif -%}
      {%- endfor -%}
      {%- set value = stored.value -%}
    {%- endif -%}

    {%- set before_reference = value -%}

    {#- A reference is kept only if the parent row loads. -#}
    {%- if name in parents -%}
      {%- set parent = spec.references[name] -%}
      {%- set key = parent_key_column(parent) -%}
      {%- set p = 'p_' ~ name -%}
      {%- do joins.append('left join ' ~ parents[name] ~ ' ' ~ p ~ ' on ' ~ p ~ '.' ~ adapter.quote(key) ~ ' = ' ~ value) -%}
      {%- set loads = p ~ '.' ~ adapter.quote(key) ~ ' is not null and ' ~ p ~ '._reject_reason is null' -%}
      {%- if parent == 'users' -%}
        {#- Say why a user is missing: a patient now lives in v2 patients, not users. -#}
        {%- set u = 'uc_' ~ name -%}
        {%- do joins.append('left join ' ~ classified_users ~ ' ' ~ u ~ ' on ' ~ u ~ '.user_id = ' ~ value) -%}
        {%- set missing = "concat('" ~ name ~ "=', " ~ value ~ ", case " ~ u ~ ".classification when 'patient' then ' is a patient user (v2 users holds staff only)' else ' not in users' end)" -%}
      {%- else -%}
        {%- set missing = "concat('" ~ name ~ "=', " ~ value ~ ", ' not in " ~ parent ~ "')" -%}
      {%- endif -%}
      {%- do dangling_rules(rules, c, value, p, parent, key, missing) -%}
      {%- set value = 'case when ' ~ loads ~ ' then ' ~ value ~ ' end' -%}
    {%- endif -%}

    {#- v2 demands a value that v1 may not have. -#}
    {%- if not c.nullable and (shaped or name in plan.may_be_null) and name not in spec.get('patient_refs', [])
          and name not in (spec.get('unique_key') or []) -%}
      {%- set is_null = ('s._reject_reason is null and ' if shaped else '') ~ '(' ~ before_reference ~ ') is null' -%}
      {%- do rules.append(['reject', is_null, "'" ~ name ~ " is NULL; v2 requires a value'", none]) -%}
      {%- do unstorable.append([is_null, name, 'null', "'NULL'", 'reject']) -%}
    {%- endif -%}

    {%- do select_exprs.append(value ~ ' as ' ~ quoted) -%}
  {%- endfor -%}

  {%- for column in spec.get('carried', []) -%}
    {%- do select_exprs.append('s.' ~ adapter.quote(column)) -%}
  {%- endfor -%}
  {%- set row_key = 's._row_key' if shaped else row_key_sql(spec.get('unique_key') or plan.v1_names) -%}
  {%- set rejects = rules | selectattr(0, 'equalto', 'reject') | list -%}
  {%- set changes = rules | selectattr(0, 'equalto', 'change') | list -%}
  {#- v2's unique keys that v1 does not already guarantee: a key v1 holds unique for the same
      columns (or the spec says so: v1_unique_keys, for a shaping model) cannot repeat. The
      others are checked row by row (a window function: the query then cannot be merged). -#}
  {%- set v1_unique = spec.get('v1_unique_keys', []) if shaped
        else unique_keys(var('v1_schema'), spec.get('v1_table', table)) -%}
  {%- set repeatable_keys = unique_keys(var('v2_schema', none) or target.schema, table)
        | reject('in', v1_unique) | list -%}

  {%- set checked -%}
select
    {{ select_exprs | join(',\n    ') }},
    {{ row_key }} as _row_key,
    {{ reasons_sql(rejects) }} as _reject_reason,
    {{ reasons_sql(changes) }} as _change_reason,
    {%- for part in ['table', 'key', 'reason'] %}
    {{ root_sql(rejects + changes, loop.index0) }} as _root_{{ part }},
    {%- endfor %}
    {{ unstorable_sql(unstorable) }} as _unstorable
from {{ base }} s
{{ joins | join('\n') }}
  {%- endset -%}

  {%- if repeatable_keys %}
    {#- A v2 unique key must not repeat among the rows that load: the lowest row key keeps it. -#}
    {%- set checked -%}
select
    ranked.*,
    {%- for columns in repeatable_keys %}
    case when ranked._reject_reason is null{% for k in columns %} and ranked.{{ adapter.quote(k) }} is not null{% endfor %}
         then row_number() over (partition by {% for k in columns %}ranked.{{ adapter.quote(k) }}{{ ', ' if not loop.last }}{% endfor %}
                                 order by ranked._reject_reason is not null, ranked._row_key) end as _duplicate_{{ loop.index }}
    {{- ',' if not loop.last }}
    {%- endfor %}
from ({{ checked }}) ranked
    {%- endset -%}
  {%- endif %}

{%- set final -%}
select
    {%- if repeatable_keys %}
    {%- for c in plan.v2_columns %}
    checked.{{ adapter.quote(c.name) }},
    {%- endfor %}
    {%- for column in spec.get('carried', []) %}
    checked.{{ adapter.quote(column) }},
    {%- endfor %}
    checked._row_key,
    nullif(concat_ws('; ', checked._reject_reason
        {%- for columns in repeatable_keys %},
        case when checked._duplicate_{{ loop.index }} > 1 then 'duplicate of v2 unique key ({{ columns | join(', ') }}): the row with the lowest key keeps it' end
        {%- endfor %}), '') as _reject_reason,
    checked._change_reason,
    checked._root_table,
    checked._root_key,
    checked._root_reason,
    checked._unstorable,
    {%- else %}
    checked.*,
    {%- endif %}
    case when checked._reject_reason is not null or checked._change_reason is not null or checked._unstorable is not null
        {%- for columns in repeatable_keys %} or checked._duplicate_{{ loop.index }} > 1{% endfor %}
         then 1 end as _audit
from ({{ checked }}) checked
{%- endset -%}

{#- only when a row of this table can be rejected at all (else no relative can be) -#}
{%- if spec.get('self_references') and var('plan_only') and not var('plan_session_tables')
      and (rules | selectattr(0, 'equalto', 'reject') | list or repeatable_keys) %}
{{ rejected_relatives_unloaded(final, spec, plan.v2_columns) }}
{%- else %}
{{ final }}
{%- endif %}
{% endmacro %}


{#- A row pointing into its own table (patients.relation_patient_id: a relative) at a row that
    is rejected keeps the row, with the reference set NULL and listed, its root that row's root.
    A real run does it on the candidate table after it is made (unload_rejected_relatives; a dry
    run with session tables runs the same statement, see analyses/plan_self_references.sql); a
    dry run without, which has nowhere to keep rows, joins the query to itself
    (rejected_relatives_unloaded). -#}
{% macro self_reference_fix(spec, row, relative, column) -%}
  {%- set key = adapter.quote(spec.unique_key[0]) -%}
  {{- return({
      'matches': relative ~ '._reject_reason is not null and ' ~ row ~ '._reject_reason is null',
      'reason': "concat_ws('; ', " ~ row ~ "._change_reason, concat('set NULL: " ~ column ~ ": " ~ checked_table_name() ~ " ', "
                ~ relative ~ "._row_key, ' was rejected (root: ', " ~ root_of(relative, checked_table_name()) ~ ", ')'))",
      'root_table': "coalesce(" ~ row ~ "._root_table, " ~ relative ~ "._root_table, '" ~ checked_table_name() ~ "')",
      'root_key': "coalesce(" ~ row ~ "._root_key, " ~ relative ~ "._root_key, " ~ relative ~ "._row_key)",
      'root_reason': "coalesce(" ~ row ~ "._root_reason, " ~ relative ~ "._root_reason, " ~ relative ~ "._reject_reason)"}) -}}
{%- endmacro %}

{% macro unload_rejected_relatives(relation, spec) -%}
  {{- adapter.dispatch('unload_rejected_relatives', 'moh_migrate')(relation, spec) -}}
{%- endmacro %}

{% macro default__unload_rejected_relatives(relation, spec) -%}
  {%- if not spec.get('self_references') -%}{{ return('') }}{%- endif -%}
  {%- set key = adapter.quote(spec.unique_key[0]) -%}
  {%- for column in spec.self_references -%}
    {%- set fix = self_reference_fix(spec, 'c', 'r', column) -%}
  update {{ relation }} c
  inner join {{ relation }} r on r.{{ key }} = c.{{ adapter.quote(column) }}
  set c._change_reason = {{ fix.reason }},
      c._root_table = {{ fix.root_table }},
      c._root_key = {{ fix.root_key }},
      c._root_reason = {{ fix.root_reason }},
      c.{{ adapter.quote(column) }} = null,
      c._audit = 1
  where {{ fix.matches }}
  {%- endfor -%}
{%- endmacro %}

{% macro rejected_relatives_unloaded(final, spec, v2_columns) -%}
  {%- set key = adapter.quote(spec.unique_key[0]) -%}
  {%- set column = spec.self_references[0] -%}
  {%- set fix = self_reference_fix(spec, 'c', 'r', column) -%}
select
    {%- for c in v2_columns %}
    {% if c.name == column %}case when {{ fix.matches }} then null else c.{{ adapter.quote(c.name) }} end as {{ adapter.quote(c.name) }}{% else %}c.{{ adapter.quote(c.name) }}{% endif %},
    {%- endfor %}
    {%- for extra in spec.get('carried', []) %}
    c.{{ adapter.quote(extra) }},
    {%- endfor %}
    c._row_key,
    c._reject_reason,
    case when {{ fix.matches }} then {{ fix.reason }} else c._change_reason end as _change_reason,
    case when {{ fix.matches }} then {{ fix.root_table }} else c._root_table end as _root_table,
    case when {{ fix.matches }} then {{ fix.root_key }} else c._root_key end as _root_key,
    case when {{ fix.matches }} then {{ fix.root_reason }} else c._root_reason end as _root_reason,
    c._unstorable,
    case when {{ fix.matches }} then 1 else c._audit end as _audit
from ({{ final }}) c
left join (select * from ({{ final }}) rows_ where _reject_reason is not null) r
    on r.{{ key }} = c.{{ adapter.quote(column) }}
{%- endmacro %}


{#- The two rules of a reference that may not load: its value has no row at all (the row is
    its own root), or it points at a row that was rejected (the root is that row's root). A NOT
    NULL column rejects the row; a nullable one is set NULL and the row listed as changed. -#}
{% macro dangling_rules(rules, column, value, parent_alias, parent, parent_key, missing) %}
  {%- set p = parent_alias -%}
  {%- set root = {
      'table': "coalesce(" ~ p ~ "._root_table, '" ~ parent ~ "')",
      'key': "coalesce(" ~ p ~ "._root_key, " ~ p ~ "._row_key)",
      'reason': "coalesce(" ~ p ~ "._root_reason, " ~ p ~ "._reject_reason)"} -%}
  {%- set cascaded = "concat('" ~ column.name ~ "=', " ~ value ~ ", ': " ~ parent ~ " ', " ~ p ~ "._row_key, ' was rejected (root: ', "
        ~ root.table ~ ", ' ', " ~ root.key ~ ", ': ', " ~ root.reason ~ ", ')')" -%}
  {%- set kind = 'change' if column.nullable else 'reject' -%}
  {%- set prefix = "'set NULL: ', " if column.nullable else "" -%}
  {%- do rules.append([kind, '(' ~ value ~ ') is not null and ' ~ p ~ '.' ~ adapter.quote(parent_key) ~ ' is null',
        "concat(" ~ prefix ~ missing ~ ")", none]) -%}
  {#- the join is on the value, so a match means the value is not null -#}
  {%- do rules.append([kind, p ~ '._reject_reason is not null', "concat(" ~ prefix ~ cascaded ~ ")", root]) -%}
{% endmacro %}


{#- "a=1,b=2" from key columns of s; NULL parts spelled out so a key is never NULL. -#}
{% macro row_key_sql(columns) -%}
  {{- adapter.dispatch('row_key_sql', 'moh_migrate')(columns) -}}
{%- endmacro %}

{% macro default__row_key_sql(columns) -%}
  concat({% for c in columns %}'{{ "," if not loop.first }}{{ c }}=', coalesce(s.{{ adapter.quote(c) }}, 'NULL'){{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}


{#- All reasons that apply, joined with "; ", or NULL when none does. A rule that matches is
    never lost to a NULL inside its reason text: the condition itself is reported instead. -#}
{% macro reasons_sql(rules) -%}
  {%- if not rules -%}{{ null_text() }}
  {%- else -%}
  nullif(concat_ws('; '{% for kind, condition, why, root in rules %},
        case when {{ condition }} then coalesce({{ why }}, {{ sql_literal('rule matched: ' ~ condition) }}) end{% endfor %}), '')
  {%- endif -%}
{%- endmacro %}


{#- Part `index` (0 table, 1 key, 2 reason) of the root of the first rule that cascades from a
    rejected row; NULL when none does (the row is its own root). -#}
{% macro root_sql(rules, index) -%}
  {%- set part = ['table', 'key', 'reason'][index] -%}
  {%- set cascading = rules | selectattr(3) | list -%}
  {%- if not cascading -%}{{ null_text() }}
  {%- else -%}
  case{% for kind, condition, why, root in cascading %} when {{ condition }} then {{ root[part] }}{% endfor %} end
  {%- endif -%}
{%- endmacro %}


{#- The values v2 cannot store in this row, as a JSON list (NULL when there are none):
    [{"column": ..., "problem": ..., "value": ..., "policy": ...}]. Values are shown without
    personal data (see storable.sql): enum members, numbers, lengths and date shapes, which
    hold no backslash; a double quote becomes a single one. (No backslash in this SQL at all:
    dbt splits compiled SQL with sqlparse, which misreads MySQL's backslash escapes.) -#}
{% macro unstorable_sql(checks) -%}
  {%- if not checks -%}{{ null_text() }}
  {%- else -%}
  nullif(concat('[', concat_ws(','{% for condition, column, problem, shown, policy in checks %},
        case when {{ condition }} then concat('{"column":"{{ column }}","problem":"{{ problem }}","value":', '"', replace(coalesce({{ shown }}, 'NULL'), '"', ''''), '"', ',"policy":"{{ policy }}"}') end{% endfor %}), ']'), '[]')
  {%- endif -%}
{%- endmacro %}


{#- int_<table>_checked -> <table> -#}
{% macro checked_table_name() -%}
  {{- return(model.name[4:-8]) -}}
{%- endmacro %}


{#- The key column of a parent table's rows. -#}
{% macro parent_key_column(parent) -%}
  {{- return('patient_id' if parent == 'patients' else 'id') -}}
{%- endmacro %}


{#- The audit columns of a candidate table, typed alike in every table. -#}
{% macro audit_column_types() -%}
  {{- return({
      '_row_key': 'varchar(1024) not null',
      '_reject_reason': 'text',
      '_change_reason': 'text',
      '_root_table': 'varchar(64)',
      '_root_key': 'varchar(1024)',
      '_root_reason': 'text',
      '_unstorable': 'text',
      '_audit': 'tinyint'}) -}}
{%- endmacro %}
