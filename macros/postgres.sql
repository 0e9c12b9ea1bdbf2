{#-
  PostgreSQL as the v2 server: the postgres__ implementations of the project's dispatched
  macros. v1 is read from its landing copy (driver/pg_copy.py) in a schema of the same database;
  the v2 tables are the ones Laravel's PostgreSQL grammar created.

  Column facts are spoken in MySQL's vocabulary, so that every rule (the pre-flight comparison,
  the values v2 cannot store) reads them as on MySQL: a landing schema answers with v1's own
  column types (kept by the copy in _moh_copy_columns), a v2 table with its PostgreSQL types
  named as their MySQL counterparts (boolean: tinyint(1); uuid: char(36); a varchar with a CHECK
  that lists its values: enum(...); timestamp: datetime, which has no 2038 limit; text: longtext).
-#}

{% macro postgres__table_columns(schema, table) -%}
  {%- set sql -%}
    {%- if pg_has_copy_facts(schema) %}
    select column_name, column_type, is_nullable, column_key
    from {{ adapter.quote(schema) }}._moh_copy_columns
    where table_name = {{ sql_literal(table) }}
    order by ordinal
    {%- else %}
    select
        a.attname::text,
        case
            when e.vals is not null then 'enum(' || e.vals || ')'
            when t.typname = 'bool' then 'tinyint(1)'
            when t.typname = 'int8' then 'bigint'
            when t.typname = 'int4' then 'int'
            when t.typname = 'int2' then 'smallint'
            when t.typname = 'uuid' then 'char(36)'
            when t.typname = 'varchar' then 'varchar(' || coalesce(nullif(a.atttypmod, -1) - 4, 65535) || ')'
            when t.typname = 'bpchar' then 'char(' || (a.atttypmod - 4) || ')'
            when t.typname = 'text' then 'longtext'
            when t.typname in ('timestamp', 'timestamptz') then 'datetime'
            when t.typname = 'numeric' and a.atttypmod > 0
                then 'decimal(' || ((a.atttypmod - 4) >> 16) || ',' || ((a.atttypmod - 4) & 65535) || ')'
            when t.typname = 'float8' then 'double'
            when t.typname in ('json', 'jsonb') then 'longtext'  -- as MariaDB tells a json column
            else format_type(a.atttypid, a.atttypmod)
        end,
        case when a.attnotnull then 'NO' else 'YES' end,
        case when a.attnum = any(coalesce(pk.conkey, '{}')) then 'PRI' else '' end
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_type t on t.oid = a.atttypid
    left join pg_constraint pk on pk.conrelid = c.oid and pk.contype = 'p'
    left join lateral (
        select string_agg(quote_literal(m.v[1]), ',' order by m.ord) as vals
        from pg_constraint ck
        cross join lateral regexp_matches(pg_get_constraintdef(ck.oid),
            '''((?:[^'']|'''')*)''::(?:character varying|text)', 'g') with ordinality as m(v, ord)
        where ck.conrelid = c.oid and ck.contype = 'c' and ck.conkey = array[a.attnum]
    ) e on true
    where n.nspname = {{ sql_literal(schema) }} and c.relname = {{ sql_literal(table) }}
      and c.relkind in ('r', 'p', 'v') and a.attnum > 0 and not a.attisdropped
    order by a.attnum
    {%- endif %}
  {%- endset -%}
  {%- set columns = [] -%}
  {%- for r in run_query(sql) -%}
    {%- do columns.append({'name': r[0] | lower, 'type': r[1], 'nullable': r[2] == 'YES', 'primary': r[3] == 'PRI'}) -%}
  {%- endfor -%}
  {{- return(columns) -}}
{%- endmacro %}

{% macro postgres__unique_keys(schema, table) -%}
  {%- set sql -%}
    {%- if pg_has_copy_facts(schema) %}
    select index_name, column_name from {{ adapter.quote(schema) }}._moh_copy_keys
    where table_name = {{ sql_literal(table) }} and non_unique = 0 and index_name <> 'PRIMARY'
    order by index_name, seq
    {%- else %}
    select i.relname::text, a.attname::text
    from pg_index x
    join pg_class c on c.oid = x.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_class i on i.oid = x.indexrelid
    cross join lateral unnest(x.indkey) with ordinality as k(attnum, ord)
    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
    where n.nspname = {{ sql_literal(schema) }} and c.relname = {{ sql_literal(table) }}
      and x.indisunique and not x.indisprimary
    order by i.relname, k.ord
    {%- endif %}
  {%- endset -%}
  {%- set keys = {} -%}
  {%- for index, column in run_query(sql) -%}
    {%- do keys.setdefault(index, []).append(column | lower) -%}
  {%- endfor -%}
  {{- return(keys.values() | list) -}}
{%- endmacro %}

{#- Whether `schema` is a landing copy of v1 (it keeps v1's column facts). Asked once per schema. -#}
{% macro pg_has_copy_facts(schema) -%}
  {%- set found = run_query("select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace"
      ~ " where n.nspname = " ~ sql_literal(schema) ~ " and c.relname = '_moh_copy_columns'"
      ~ " and has_schema_privilege(n.oid, 'USAGE') and has_table_privilege(c.oid, 'SELECT'))") -%}
  {{- return(found.columns[0].values()[0]) -}}
{%- endmacro %}

{#- A string literal: PostgreSQL's standard strings take a backslash as it is. -#}
{% macro postgres__sql_literal(value) -%}
  {%- if value is none -%}null
  {%- else -%}'{{ value | string | replace("'", "''") }}'
  {%- endif -%}
{%- endmacro %}

{% macro postgres__cast_to_text(expression) -%}
  cast({{ expression }} as text)
{%- endmacro %}

{#- on-run-start: the work schema, uuid-ossp (uuid_generate_v5) and the table that outlives a
    single run: patient_uuid_namespace, as on MySQL (the same secret gives the same namespace:
    the first 32 hex digits of sha256(secret), UTF-8). -#}
{% macro postgres__prepare_work_schema() %}
  {%- if execute and flags.WHICH in ('run', 'build', 'run-operation') -%}
    {%- set schema = work_schema() -%}
    {%- do run_query("create schema if not exists " ~ adapter.quote(schema)) -%}
    {%- do run_query('create extension if not exists "uuid-ossp" with schema ' ~ adapter.quote(schema)) -%}
    {%- do run_query(
        "create table if not exists " ~ work_relation('patient_uuid_namespace') ~ " ("
        ~ " id smallint not null primary key,"
        ~ " namespace_hex char(32) not null)") -%}
    {#- written by int_patients_minted's post-hook, read by an incremental run -#}
    {%- do run_query(
        "create table if not exists " ~ work_relation('patient_uuid_memory') ~ " ("
        ~ " patient_uuid char(36) not null primary key,"
        ~ " v1_patient_id bigint null,"
        ~ " v1_user_id bigint null,"
        ~ " origin varchar(16) not null)") -%}
    {#- cascaded_rows: rows of this table that a parent's delete took with it (ON DELETE
        CASCADE) since this table's last incremental step, which counts them as deleted -#}
    {%- do run_query(
        "create table if not exists " ~ work_relation('v2_applied_changes') ~ " ("
        ~ " table_name varchar(64) not null primary key,"
        ~ " inserted_rows bigint not null, updated_rows bigint not null, deleted_rows bigint not null,"
        ~ " cascaded_rows bigint not null default 0)") -%}
    {%- if not var('apply_changes_only') and not var('plan_only') -%}
      {#- a full run replaces every table: nothing an earlier incremental run cascaded is pending -#}
      {%- do run_query("update " ~ work_relation('v2_applied_changes') ~ " set cascaded_rows = 0 where cascaded_rows <> 0") -%}
    {%- endif -%}
    {%- if var('patient_uuid_secret') -%}
      {%- do run_query(
          "insert into " ~ work_relation('patient_uuid_namespace')
          ~ " (id, namespace_hex) values (1, left(encode(sha256(convert_to(" ~ sql_literal(var('patient_uuid_secret'))
          ~ ", 'UTF8')), 'hex'), 32)) on conflict (id) do update set namespace_hex = excluded.namespace_hex") -%}
    {%- else -%}
      {%- do run_query(
          "insert into " ~ work_relation('patient_uuid_namespace')
          ~ " (id, namespace_hex) select 1, left(encode(sha256(convert_to(gen_random_uuid()::text || random()::text"
          ~ " || clock_timestamp()::text, 'UTF8')), 'hex'), 32) on conflict (id) do nothing") -%}
    {%- endif -%}
    {%- do run_query("commit") -%}
  {%- endif -%}
  select 1
{% endmacro %}

{#- The version 5 UUID of `name` under the namespace: uuid-ossp's uuid_generate_v5 is RFC 4122's
    (Python's uuid.uuid5), the same as the MySQL form's sha1 and bits. It lives in the work schema. -#}
{% macro postgres__uuid_v5_digest(namespace_hex, name) -%}
  {{ adapter.quote(work_schema()) }}.uuid_generate_v5(cast({{ namespace_hex }} as uuid), {{ name }})
{%- endmacro %}

{% macro postgres__uuid_v5_from_sha1(digest) -%}
  cast({{ digest }} as text)
{%- endmacro %}

{% macro postgres__typed_null(type) -%}
  cast(null as {{ type }})
{%- endmacro %}

{% macro postgres__cast_to_id(expression) -%}
  cast({{ expression }} as bigint)
{%- endmacro %}

{#- A work table: CREATE TABLE AS, then its keys (PostgreSQL has no keys in CREATE ... AS). -#}
{% macro postgres__work_table_as(relation, sql, primary_key, key_indexes, column_types) -%}
create table {{ relation }} as
select * from (
    {{ sql }}
) as work_rows
{%- if primary_key %}
order by {{ quoted_columns(primary_key) }}
{%- endif %};
{%- for column, type in column_types.items() %}
alter table {{ relation }} alter column {{ adapter.quote(column) }} type {{ pg_column_type(type) }}{% if ' not null' in type %}, alter column {{ adapter.quote(column) }} set not null{% endif %};
{%- endfor %}
{%- if primary_key %}
alter table {{ relation }} add primary key ({{ quoted_columns(primary_key) }});
{%- endif %}
{%- for columns in key_indexes %}
create index on {{ relation }} ({{ index_columns(columns, prefixes=false) }});
{%- endfor %}
analyze {{ relation }}
{%- endmacro %}

{#- A MySQL column type of the project's own declarations, in PostgreSQL's words. -#}
{% macro pg_column_type(type) -%}
  {%- set t = type | lower | replace(' not null', '') | trim -%}
  {{- {'tinyint': 'smallint', 'text': 'text', 'longtext': 'text'}.get(t, t) -}}
{%- endmacro %}

{#- "a=1,b=2" from key columns of s, every part as text. -#}
{% macro postgres__row_key_sql(columns) -%}
  concat({% for c in columns %}'{{ "," if not loop.first }}{{ c }}=', coalesce(cast(s.{{ adapter.quote(c) }} as text), 'NULL'){{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}

{#- PostgreSQL has no date with a zero part: the landing copy puts a day of January 4713 BC in
    its place whose day of the month tells which parts were 0 (driver/copy.py, Column.pg_tsv:
    1 + 4 if the year was 0, + 2 if the month, + 1 if the day), and the shape is shown as on
    MySQL. A PostgreSQL timestamp has no 2038 limit. -#}
{% macro postgres__date_checks(value, v2, src) %}
  {%- set part = "(extract(day from cast(" ~ value ~ " as date))::integer - 1)" -%}
  {{- return([{'problem': 'zero_date',
      'condition': "cast(" ~ value ~ " as date) < cast('4713-01-10 BC' as date)",
      'shown': "concat(case when " ~ part ~ " >= 4 then '0000' else 'YYYY' end, '-', "
               ~ "case when " ~ part ~ " % 4 >= 2 then '00' else 'MM' end, '-', "
               ~ "case when " ~ part ~ " % 2 = 1 then '00' else 'DD' end)"}]) -}}
{% endmacro %}

{% macro postgres__unload_rejected_relatives(relation, spec) -%}
  {%- if not spec.get('self_references') -%}{{ return('') }}{%- endif -%}
  {%- set key = adapter.quote(spec.unique_key[0]) -%}
  {%- for column in spec.self_references -%}
    {%- set fix = self_reference_fix(spec, 'c', 'r', column) -%}
  update {{ relation }} as c
  set _change_reason = {{ fix.reason }},
      _root_table = {{ fix.root_table }},
      _root_key = {{ fix.root_key }},
      _root_reason = {{ fix.root_reason }},
      {{ adapter.quote(column) }} = null,
      _audit = 1
  from {{ relation }} as r
  where r.{{ key }} = c.{{ adapter.quote(column) }} and {{ fix.matches }}
  {%- endfor -%}
{%- endmacro %}

{% macro postgres__unstorable_found(json_column) -%}
cross join lateral (
    select j ->> 'column' as column_name, j ->> 'problem' as problem, j ->> 'value' as shown_value,
           j ->> 'policy' as policy
    from json_array_elements(cast({{ json_column }} as json)) as j
) as found
{%- endmacro %}

{#- A canonical UUID: a uuid column prints as one; a text column is matched case-sensitively. -#}
{% macro postgres__uuid_format_condition(column) -%}
      cast({{ column }} as text) ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
{%- endmacro %}

{#- The same order-independent checksum as on MySQL, over each value's text. A boolean v2
    column prints as 1/0 as its v1 tinyint(1) does (both sides go through the same mapping). -#}
{% macro postgres__rows_checksum(columns) -%}
  {%- set row_hash -%}
    md5(concat_ws('|'{% for c in columns %}, coalesce(quote_literal(case cast({{ adapter.quote(c) }} as text) when 'true' then '1' when 'false' then '0' else cast({{ adapter.quote(c) }} as text) end), 'NULL'){% endfor %}))
  {%- endset -%}
  count(*) as row_count,
  coalesce(sum(('x' || substr({{ row_hash }}, 1, 15))::bit(60)::bigint), 0) as sum_a,
  coalesce(sum(('x' || substr({{ row_hash }}, 16, 15))::bit(60)::bigint), 0) as sum_b
{%- endmacro %}

{% macro postgres__uuid_text(expression) -%}
  cast({{ expression }} as text)
{%- endmacro %}

{% macro postgres__regex_matches(expression, pattern) -%}
  {{ expression }} ~ {{ pattern }}
{%- endmacro %}

{% macro postgres__regex_replace_all(expression, pattern, replacement) -%}
  {{- return("regexp_replace(" ~ expression ~ ", " ~ pattern ~ ", " ~ replacement ~ ", 'g')") -}}
{%- endmacro %}

{% macro postgres__unique_index_columns_sql(schema) -%}
  {{- return("select c.relname::text, i.relname::text, string_agg(a.attname::text, ',' order by k.ord)"
    ~ " from pg_index x join pg_class c on c.oid = x.indrelid join pg_namespace n on n.oid = c.relnamespace"
    ~ " join pg_class i on i.oid = x.indexrelid"
    ~ " cross join lateral unnest(x.indkey) with ordinality as k(attnum, ord)"
    ~ " join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum"
    ~ " where n.nspname = " ~ sql_literal(schema) ~ " and x.indisunique and c.relkind = 'r'"
    ~ " group by c.relname, i.relname order by 1, 2") -}}
{%- endmacro %}
