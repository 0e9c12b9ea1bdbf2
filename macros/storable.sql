{#-
  Values a v2 column cannot store. The load runs under a strict sql_mode (see v2_table), so a
  value that does not fit its v2 column would stop the run halfway ("1265 Data truncated").
  unstorable_checks() gives, for one v2 column, SQL conditions that are true exactly when the
  value cannot be stored, each with a problem name and a way to show the value that holds no
  personal data (strings by their length, dates by their shape).

  A check is skipped only where the source column's own type rules the problem out: a v1
  column of the same integer, decimal or string type cannot exceed the v2 one. Enum columns and
  dates are always checked: a lax sql_mode stores '' for an invalid enum value and zero dates.
  source_type none (a computed column) means every check applies.
-#}
{% macro unstorable_checks(value, v2_type, source_type=none) %}
  {%- set v2 = column_type_facts(v2_type) -%}
  {%- set src = column_type_facts(source_type) if source_type else none -%}
  {%- set same = src is not none and src.normalized == v2.normalized -%}
  {%- set checks = [] -%}
  {%- if v2.family == 'enum' -%}
    {%- do checks.append({'problem': 'enum',
        'condition': value ~ ' not in (' ~ sql_list(v2['values']) ~ ')',
        'shown': "concat('''', " ~ value ~ ", '''')"}) -%}
  {%- elif v2.family == 'string' and not same and not (src and src.family == 'enum' and src.max_length <= v2.max_length)
        and not (src and src.family == 'string' and src.max_length <= v2.max_length) -%}
    {%- do checks.append({'problem': 'too_long',
        'condition': ('octet_length(' if v2.by_bytes else 'char_length(') ~ value ~ ') > ' ~ v2.max_length,
        'shown': "concat(" ~ ('octet_length(' if v2.by_bytes else 'char_length(') ~ value ~ "), '" ~ (' bytes' if v2.by_bytes else ' characters') ~ "')"}) -%}
  {%- elif v2.family == 'integer' and not same
        and not (src and src.family == 'integer' and src.minimum >= v2.minimum and src.maximum <= v2.maximum) -%}
    {%- do checks.append({'problem': 'out_of_range',
        'condition': '(' ~ value ~ ' < ' ~ v2.minimum ~ ' or ' ~ value ~ ' > ' ~ v2.maximum ~ ')',
        'shown': cast_to_text(value)}) -%}
  {%- elif v2.family == 'decimal' and not same -%}
    {%- do checks.append({'problem': 'out_of_range',
        'condition': 'abs(' ~ value ~ ') >= ' ~ v2.decimal_limit,
        'shown': cast_to_text(value)}) -%}
  {%- elif v2.family == 'date' -%}
    {%- do checks.extend(date_checks(value, v2, src)) -%}
  {%- endif -%}
  {%- if v2.family == 'string' and v2_is_postgres() -%}
    {%- do checks.append({'problem': 'nul_character', 'condition': nul_condition(value),
        'shown': "concat(char_length(" ~ value ~ "), ' characters with a NUL')"}) -%}
  {%- endif -%}
  {{- return(checks) -}}
{% endmacro %}


{#- v2 is PostgreSQL: the target is, or (a dry run on the v1 server) var v2_engine says so. -#}
{% macro v2_is_postgres() -%}
  {{- return((var('v2_engine') or target.type) == 'postgres') -}}
{%- endmacro %}


{#- The text holds a NUL character, which PostgreSQL text cannot: in v1 (MySQL, the dry run)
    as it is; in PostgreSQL as the U+FFFF the landing copy put in its place (driver/copy.py). -#}
{% macro nul_condition(value) -%}
  {{- adapter.dispatch('nul_condition', 'moh_migrate')(value) -}}
{%- endmacro %}

{% macro default__nul_condition(value) -%}
  instr({{ value }}, x'00') > 0
{%- endmacro %}

{% macro postgres__nul_condition(value) -%}
  strpos(cast({{ value }} as text), chr(65535)) > 0
{%- endmacro %}


{#- A zero date (or, into a MySQL timestamp, one outside its 1970-2038 range; into PostgreSQL,
    also a year 0, which it cannot hold). -#}
{% macro date_checks(value, v2, src) %}
  {{- return(adapter.dispatch('date_checks', 'moh_migrate')(value, v2, src)) -}}
{% endmacro %}

{% macro default__date_checks(value, v2, src) %}
  {%- set checks = [] -%}
    {%- set condition = '(' ~ ('year(' ~ value ~ ') = 0 or ' if v2_is_postgres() else '')
                        ~ 'month(' ~ value ~ ') = 0 or dayofmonth(' ~ value ~ ') = 0)' -%}
    {%- if v2.base == 'timestamp' and not (src and src.base == 'timestamp') -%}
      {%- set condition = '(' ~ condition ~ " or " ~ value ~ " < '1970-01-01 00:00:01' or " ~ value ~ " > '2038-01-19 03:14:07')" -%}
    {%- endif -%}
    {%- do checks.append({'problem': 'zero_date',
        'condition': condition,
        'shown': "concat(case when year(" ~ value ~ ") = 0 then '0000' else 'YYYY' end, '-', "
                 ~ "case when month(" ~ value ~ ") = 0 then '00' else 'MM' end, '-', "
                 ~ "case when dayofmonth(" ~ value ~ ") = 0 then '00' else 'DD' end)"}) -%}
  {{- return(checks) -}}
{% endmacro %}


{#- What a column type says about the values it holds: family (enum, string, integer, decimal,
    date, other), limits, and a normalized spelling (display widths dropped: MariaDB says
    int(11) where MySQL 8 says int). -#}
{% macro column_type_facts(column_type) %}
  {%- set t = (column_type or '') | lower | trim -%}
  {%- set base = t.split('(')[0].split(' ')[0] -%}
  {%- set unsigned = 'unsigned' in t -%}
  {%- set inner = t.split('(', 1)[1].rsplit(')', 1)[0] if '(' in t else '' -%}
  {%- set integers = {
      'tinyint': [-128, 127, 255], 'smallint': [-32768, 32767, 65535],
      'mediumint': [-8388608, 8388607, 16777215], 'int': [-2147483648, 2147483647, 4294967295],
      'integer': [-2147483648, 2147483647, 4294967295],
      'bigint': [-9223372036854775808, 9223372036854775807, 18446744073709551615]} -%}
  {%- set texts = {'tinytext': 255, 'text': 65535, 'mediumtext': 16777215, 'longtext': 4294967295} -%}
  {%- set facts = {'base': base, 'family': 'other', 'normalized': t} -%}
  {%- if base == 'enum' -%}
    {%- do facts.update({'family': 'enum', 'values': enum_values(column_type),
                         'max_length': enum_values(column_type) | map('length') | max}) -%}
  {%- elif base in ('varchar', 'char') -%}
    {%- do facts.update({'family': 'string', 'max_length': inner | int, 'by_bytes': false}) -%}
  {%- elif base in texts -%}
    {%- do facts.update({'family': 'string', 'max_length': texts[base], 'by_bytes': true}) -%}
  {%- elif base in integers -%}
    {%- set r = integers[base] -%}
    {%- do facts.update({'family': 'integer', 'minimum': 0 if unsigned else r[0],
                         'maximum': r[2] if unsigned else r[1],
                         'normalized': base ~ (' unsigned' if unsigned else '')}) -%}
  {%- elif base in ('decimal', 'numeric') -%}
    {%- set parts = (inner or '10,0').split(',') -%}
    {%- set precision = parts[0] | int -%}
    {%- set scale = (parts[1] if parts | length > 1 else '0') | int -%}
    {%- do facts.update({'family': 'decimal', 'decimal_limit': '1' ~ ('0' * (precision - scale))}) -%}
  {%- elif base in ('date', 'datetime', 'timestamp') -%}
    {%- do facts.update({'family': 'date'}) -%}
  {%- endif -%}
  {{- return(facts) -}}
{% endmacro %}


{#- The policy for values of table.column that v2 cannot store (var unstorable_values):
    refuse (the run stops before any write, naming them), reject (the row is rejected and
    listed), set_null (the value becomes NULL and the row is listed as changed). -#}
{% macro unstorable_policy(table, column) %}
  {%- set policies = var('unstorable_values', {}) -%}
  {%- set policy = policies.get(table ~ '.' ~ column) or policies.get('default') or 'refuse' -%}
  {%- if policy not in ('refuse', 'reject', 'set_null') -%}
    {{ bad_mapping("unstorable_values: " ~ table ~ "." ~ column ~ ": " ~ policy ~ " is not refuse, reject or set_null") }}
  {%- endif -%}
  {{- return(policy) -}}
{% endmacro %}


{#- int_unstorable_values' post-hook: stop the run, before any v2 table is written, when a value
    v2 cannot store has the policy "refuse". One line names table, column, value and count. -#}
{% macro refuse_unstorable_values(relation) %}
  {%- if execute -%}
    {%- set found = run_query(
        "select table_name, column_name, problem, shown_value, rows_found from " ~ relation
        ~ " where policy = 'refuse' order by rows_found desc, table_name, column_name") -%}
    {%- if found.rows | length > 0 -%}
      {%- set listed = [] -%}
      {%- for t, c, problem, shown, n in found.rows[:8] -%}
        {%- do listed.append(t ~ "." ~ c ~ " " ~ shown ~ " (" ~ problem ~ ") in " ~ n ~ " rows") -%}
      {%- endfor -%}
      {%- set more = "; and " ~ (found.rows | length - 8) ~ " more" if found.rows | length > 8 else "" -%}
      {{ refuse("v1 holds values v2 cannot store: " ~ (listed | join("; ")) ~ more
          ~ ". Nothing was written to v2. Choose what happens to them in the mapping (unstorable_values:"
          ~ " reject or set_null, or enum_remaps), or correct v1") }}
    {%- endif -%}
  {%- endif -%}
  select 1
{% endmacro %}


{#- The JSON list of a candidate row's unstorable values, as rows `found` (column_name, problem,
    shown_value, policy), joined to the row. -#}
{% macro unstorable_found(json_column) -%}
  {{- adapter.dispatch('unstorable_found', 'moh_migrate')(json_column) -}}
{%- endmacro %}

{% macro default__unstorable_found(json_column) -%}
cross join json_table({{ json_column }}, '$[*]' columns (
    column_name varchar(64) path '$.column',
    problem varchar(32) path '$.problem',
    shown_value varchar(255) path '$.value',
    policy varchar(16) path '$.policy'
)) as found
{%- endmacro %}
