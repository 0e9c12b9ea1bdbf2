{#-
  What the v2_table materialization loaded, so that plain dbt knows its own rows from rows no
  run of this project wrote (the v2 application's seed rows, rows typed in by hand): replacing
  those needs var replace_foreign_rows. The driver decides this itself, from its run record,
  and takes a backup first; it passes replace_foreign_rows: true.

  <work schema>.v2_table_loads   per v2 table: its row count and CHECKSUM TABLE right after the
                                 last load, and the invocation that last found it unchanged
-#}

{% macro create_v2_table_loads() %}
  {%- do run_query(
      "create table if not exists " ~ work_relation('v2_table_loads') ~ " ("
      ~ " table_schema varchar(64) not null,"
      ~ " table_name varchar(64) not null,"
      ~ " loaded_rows bigint not null,"
      ~ " table_checksum bigint null,"
      ~ " loaded_at datetime(3) not null,"
      ~ " loaded_by_invocation char(36) not null,"
      ~ " verified_by_invocation char(36) null,"
      ~ " primary key (table_schema, table_name)"
      ~ ") engine=InnoDB") -%}
{% endmacro %}

{#- After a load has committed: what the table now holds. Written after the commit, because
    the bulk path builds its indexes (and may drop rows) at commit; a run killed in between
    leaves the previous record, so the next one refuses that table (the safe side). `rows`:
    the rows the load inserted; none (an incremental run changed some) counts them. -#}
{% macro record_v2_table_load(relation, rows=none) %}
  {%- if rows is none -%}
    {%- set rows = run_query("select count(*) from " ~ relation).columns[0].values()[0] -%}
  {%- endif -%}
  {%- set checksum = run_query("checksum table " ~ relation).columns[1].values()[0] -%}
  {% call statement('record_v2_table_load') -%}
    replace into {{ work_relation('v2_table_loads') }}
      (table_schema, table_name, loaded_rows, table_checksum, loaded_at, loaded_by_invocation, verified_by_invocation)
    values ({{ sql_literal(relation.schema) }}, {{ sql_literal(relation.identifier) }}, {{ rows | int }},
            {{ 'null' if checksum is none else checksum | int }}, utc_timestamp(3), {{ sql_literal(invocation_id) }}, null)
  {%- endcall %}
  {{ adapter.commit() }}
{% endmacro %}

{#- Of these v2 tables, those holding rows that no load of this project left there: not empty,
    and CHECKSUM TABLE differs from the one recorded after the table's last load, or there is
    no record. An empty table costs one indexed probe; a table verified earlier in this
    invocation (by the on-run-start check) is not read again. Returns
    {'foreign': [(relation, rows)], 'verified': [relation]}. -#}
{% macro v2_tables_with_foreign_rows(relations) %}
  {%- set found = {'foreign': [], 'verified': []} -%}
  {%- if not relations -%}{{ return(found) }}{%- endif -%}
  {%- set filled_sql -%}
    {%- for r in relations %}
    select {{ loop.index0 }} as position from (select 1 from {{ r }} limit 1) as any_row
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
  {%- endset -%}
  {%- set filled = [] -%}
  {%- for position in run_query(filled_sql).columns[0].values() | map('int') | sort -%}
    {%- do filled.append(relations[position]) -%}
  {%- endfor -%}
  {%- if not filled -%}{{ return(found) }}{%- endif -%}

  {%- set recorded = {} -%}
  {%- for row in run_query(
      "select table_schema, table_name, table_checksum, verified_by_invocation from " ~ work_relation('v2_table_loads')) -%}
    {%- do recorded.update({row[0] ~ '.' ~ row[1]: {'checksum': row[2], 'verified_by': row[3]}}) -%}
  {%- endfor -%}
  {%- set to_read = [] -%}
  {%- for r in filled -%}
    {%- set record = recorded.get(r.schema ~ '.' ~ r.identifier) -%}
    {%- if record is none or record.checksum is none -%}
      {%- do found.foreign.append(r) -%}
    {%- elif record.verified_by == invocation_id -%}
      {%- do found.verified.append(r) -%}
    {%- else -%}
      {%- do to_read.append(r) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if to_read -%}
    {#- one statement for all: CHECKSUM TABLE answers a row per table, named schema.table -#}
    {%- set now = {} -%}
    {%- for row in run_query("checksum table " ~ (to_read | join(', '))) -%}
      {%- do now.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- for r in to_read -%}
      {%- set checksum = now.get(r.schema ~ '.' ~ r.identifier) -%}
      {%- if checksum is not none and checksum | int == recorded[r.schema ~ '.' ~ r.identifier].checksum | int -%}
        {%- do found.verified.append(r) -%}
      {%- else -%}
        {%- do found.foreign.append(r) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}

  {%- if found.foreign -%}
    {%- set counts_sql -%}
      {%- for r in found.foreign %}
      select {{ loop.index0 }} as position, count(*) as row_count from {{ r }}
      {%- if not loop.last %} union all{% endif %}
      {%- endfor %}
    {%- endset -%}
    {%- set counts = {} -%}
    {%- for row in run_query(counts_sql) -%}
      {%- do counts.update({row[0] | int: row[1] | int}) -%}
    {%- endfor -%}
    {%- set with_rows = [] -%}
    {%- for r in found.foreign -%}
      {%- do with_rows.append((r, counts[loop.index0])) -%}
    {%- endfor -%}
    {%- do found.update({'foreign': with_rows}) -%}
  {%- endif -%}
  {{ return(found) }}
{% endmacro %}

{#- "roles (2 rows), countries (1 rows)" -#}
{% macro listed_tables(tables_with_rows) -%}
  {%- for relation, rows in tables_with_rows -%}
    {{ relation.identifier }} ({{ rows }} rows){{ ", " if not loop.last }}
  {%- endfor -%}
{%- endmacro %}

{#- on-run-start of run and build: before anything is written, every v2 table this invocation
    would load is checked at once, so a refusal names them all and leaves every v2 table as it
    was. The v2_table materialization checks its own table again as it loads (rows may appear
    meanwhile, or the hook may not have run); a table found unchanged here is not read twice. -#}
{% macro refuse_foreign_v2_rows() %}
  {#- not on PostgreSQL yet (the record is CHECKSUM TABLE's): there the driver decides, from its
      run record and backup -#}
  {%- if execute and flags.WHICH in ('run', 'build') and not var('plan_only') and not var('replace_foreign_rows')
        and target.type != 'postgres' -%}
    {%- set relations = [] -%}
    {#- a table that does not exist is named by the pre-flight model int_v2_tables_checked -#}
    {%- for node in graph.nodes.values()
          if node.resource_type == 'model' and node.config.materialized == 'v2_table' and node.unique_id in selected_resources -%}
      {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
      {%- if relation is not none -%}{%- do relations.append(relation) -%}{%- endif -%}
    {%- endfor -%}
    {%- set found = v2_tables_with_foreign_rows(relations | sort(attribute='identifier')) -%}
    {%- if found.foreign -%}
      {{ stop_run("v2 tables hold rows that no run of this project loaded (or that changed since): "
          ~ listed_tables(found.foreign) ~ "; nothing was written. To replace them, set var replace_foreign_rows: true "
          ~ "(dbt build --vars '{..., replace_foreign_rows: true}'; they are not backed up: "
          ~ "moh-migrate --replace-existing backs them up first)") }}
    {%- endif -%}
    {%- if found.verified -%}
      {%- do run_query(
          "update " ~ work_relation('v2_table_loads') ~ " set verified_by_invocation = " ~ sql_literal(invocation_id)
          ~ " where table_schema = " ~ sql_literal(found.verified[0].schema)
          ~ " and table_name in (" ~ sql_list(found.verified | map(attribute='identifier')) ~ ")") -%}
      {%- do run_query("commit") -%}
    {%- endif -%}
  {%- endif -%}
  select 1
{% endmacro %}
