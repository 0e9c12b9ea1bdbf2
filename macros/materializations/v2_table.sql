{#-
  v2_table: fill a table that the v2 application created; never create, drop or alter it.

  The model's query (v2_rows) selects the rows of int_<table>_checked that load: every rule has
  run there, once. In one transaction this materialization replaces the table's rows with them,
  in primary-key order. Rows that were rejected or changed are reported from the checked model,
  so the v2 table and its exceptions agree by construction, and a re-run gives the same content.

  Into an empty table, with foreign key checks off by policy, the rows go in by MariaDB's bulk
  path for empty tables (unique checks off: indexes are built by sorting at commit). That path
  drops the statement's rows at commit, without an error, if a key repeats; the checked model
  has already rejected repeats of every v2 unique key, and the row count is verified after the
  commit: on a difference the table is loaded again with every check on.

  The session runs under a strict sql_mode: a value v2 cannot store is an error, never a silent
  truncation (the checked model has found and handled every such value before any write).

  A table that is not empty is replaced only if it holds what this project's last load left
  there, or with var replace_foreign_rows (see v2_table_loads.sql): the v2 application's own
  rows are never deleted unasked. After the load (or an incremental run's changes), the
  table's checksum is recorded for the next run.
-#}
{% materialization v2_table, default %}
  {%- set target_relation = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
  {%- if target_relation is none -%}
    {{ refuse("v2 table " ~ this ~ " does not exist; create the v2 schema (the v2 application's DDL) before migrating") }}
  {%- endif -%}

  {%- set table_columns = adapter.get_columns_in_relation(target_relation) | map(attribute='name') | map('lower') | list -%}
  {%- set query_columns = get_columns_in_query(sql) | map('lower') | list -%}
  {%- if table_columns | sort != query_columns | sort -%}
    {{ refuse("v2 table " ~ this ~ " does not match model " ~ model.name
        ~ ": columns the model does not produce: [" ~ (table_columns | reject('in', query_columns) | join(', ')) ~ "]"
        ~ "; columns the table does not have: [" ~ (query_columns | reject('in', table_columns) | join(', ')) ~ "]") }}
  {%- endif -%}

  {%- set spec = v2_spec(model.name) -%}
  {%- set key_columns = spec.get('unique_key') or [] -%}
  {%- set checked = ref('int_' ~ model.name ~ '_checked') -%}
  {#- A column pointing into its own table (patients.relation_patient_id) cannot be inserted in
      one statement with the foreign keys on: relatives may point at each other. With checks on,
      it is inserted NULL and set once every row is in, in the same transaction. -#}
  {%- set self_references = [] if var('disable_fk_checks') else (spec.get('self_references') or []) -%}
  {%- set column_list = [] -%}
  {%- set select_list = [] -%}
  {%- for c in table_columns -%}
    {%- do column_list.append(adapter.quote(c)) -%}
    {%- do select_list.append('null' if c in self_references else adapter.quote(c)) -%}
  {%- endfor -%}
  {%- set insert_sql -%}
    insert into {{ target_relation }} ({{ column_list | join(', ') }})
    select {{ select_list | join(', ') }}
    from (
      {{ sql }}
    ) as loaded
    {%- if key_columns %}
    order by {{ quoted_columns(key_columns) }}
    {%- endif %}
  {%- endset -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {% call statement('end_introspection', auto_begin=False) -%}
    commit
  {%- endcall %}
  {#- Strict: a value v2 cannot store stops the statement (it never does: the checked model
      handled them). Ids of 0 stay 0; timestamps are not shifted by a time zone. -#}
  {% call statement('session_settings', auto_begin=False) -%}
    set session
      sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO',
      time_zone = '+00:00'
  {%- endcall %}

  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {%- set was_empty = run_query("select count(*) from (select 1 from " ~ target_relation ~ " limit 1) as any_row").columns[0].values()[0] | int == 0 -%}
  {%- if not was_empty and not var('replace_foreign_rows') -%}
    {%- set foreign = v2_tables_with_foreign_rows([target_relation]).foreign -%}
    {%- if foreign -%}
      {{ refuse("v2 table " ~ this ~ " holds " ~ foreign[0][1] ~ " rows, not what this project's last load left "
          ~ "there; to replace them, set var replace_foreign_rows: true") }}
    {%- endif -%}
  {%- endif -%}
  {%- if var('apply_changes_only') -%}
    {{ apply_changes(target_relation, checked, table_columns, key_columns) }}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {% call statement('restore_checks', auto_begin=False) -%}
      set session foreign_key_checks = 1
    {%- endcall %}
    {{ record_v2_table_load(target_relation) }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
  {%- endif -%}
  {%- set bulk = was_empty and var('disable_fk_checks') and not self_references -%}

  {%- if bulk -%}
    {% call statement('bulk_path') -%}
      set session foreign_key_checks = 0, unique_checks = 0
    {%- endcall %}
  {%- else -%}
    {#- The old rows go with checks off (on a re-run, rows of other tables still point at them
        and are replaced in their turn); the new rows go in under the disable_fk_checks policy. -#}
    {% call statement('checks_off_for_clearing') -%}
      set session foreign_key_checks = 0
    {%- endcall %}
    {% call statement('clear_table') -%}
      delete from {{ target_relation }}
    {%- endcall %}
    {% call statement('fk_policy') -%}
      set session foreign_key_checks = {{ 0 if var('disable_fk_checks') else 1 }}
    {%- endcall %}
  {%- endif -%}

  {% call statement('main') -%}
    {{ insert_sql }}
  {%- endcall %}
  {%- set inserted = load_result('main').response.rows_affected -%}

  {%- if self_references %}
  {% call statement('self_references') -%}
    update {{ target_relation }} as loaded
    join {{ checked }} as wanted
      on {% for k in key_columns %}loaded.{{ adapter.quote(k) }} = wanted.{{ adapter.quote(k) }}{{ " and " if not loop.last }}{% endfor %}
    set {% for c in self_references %}loaded.{{ adapter.quote(c) }} = wanted.{{ adapter.quote(c) }}{{ ", " if not loop.last }}{% endfor %}
    where wanted._reject_reason is null
      and ({% for c in self_references %}wanted.{{ adapter.quote(c) }} is not null{{ " or " if not loop.last }}{% endfor %})
  {%- endcall %}
  {%- endif %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}

  {% call statement('restore_checks', auto_begin=False) -%}
    set session foreign_key_checks = 1, unique_checks = 1
  {%- endcall %}
  {%- if bulk -%}
    {%- set landed = run_query("select count(*) from " ~ target_relation).columns[0].values()[0] | int -%}
    {%- if landed != inserted -%}
      {{ log("v2 table " ~ this ~ ": the bulk path kept " ~ landed ~ " of " ~ inserted ~ " rows; loading again with every check on", info=True) }}
      {% call statement('checked_clear') -%}
        set session foreign_key_checks = 0
      {%- endcall %}
      {% call statement('checked_reload_clear') -%}
        delete from {{ target_relation }}
      {%- endcall %}
      {% call statement('checked_reload_policy') -%}
        set session foreign_key_checks = {{ 0 if var('disable_fk_checks') else 1 }}
      {%- endcall %}
      {% call statement('main') -%}
        {{ insert_sql }}
      {%- endcall %}
      {%- set inserted = load_result('main').response.rows_affected -%}
      {{ adapter.commit() }}
      {% call statement('restore_checks_again', auto_begin=False) -%}
        set session foreign_key_checks = 1
      {%- endcall %}
    {%- endif -%}
  {%- endif -%}
  {{ record_v2_table_load(target_relation, inserted) }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#- An incremental run (var apply_changes_only): the table is brought to what a full run would
    load, by its differences only, in the caller's transaction: rows whose key no longer loads
    are deleted, rows whose columns differ are updated (compared byte for byte: a change of
    case or of trailing spaces is a change), new keys are inserted. Foreign key checks are off
    for the three statements: deletes and updates across tables cannot be ordered table by
    table, and every reference is tested after the load. The counts go to v2_applied_changes. -#}
{% macro apply_changes(target_relation, checked, table_columns, key_columns) %}
  {%- if not key_columns -%}
    {{ return(apply_changes_without_key(target_relation, checked, table_columns)) }}
  {%- endif -%}
  {%- set on_key -%}
    {%- for k in key_columns %}v2.{{ adapter.quote(k) }} = wanted.{{ adapter.quote(k) }}{{ " and " if not loop.last }}{% endfor -%}
  {%- endset -%}
  {%- set others = table_columns | reject('in', key_columns | map('lower') | list) | list -%}
  {% call statement('checks_off_for_changes') -%}
    set session foreign_key_checks = 0
  {%- endcall %}
  {% call statement('delete_gone') -%}
    {#- single-table form: MariaDB wants a default database for a multi-table DELETE with aliases -#}
    delete from {{ target_relation }}
    where not exists (
      select 1 from {{ checked }} as wanted
      where wanted._reject_reason is null
        {%- for k in key_columns %}
        and wanted.{{ adapter.quote(k) }} = {{ target_relation }}.{{ adapter.quote(k) }}
        {%- endfor %}
    )
  {%- endcall %}
  {%- set deleted = load_result('delete_gone').response.rows_affected -%}
  {%- set updated = 0 -%}
  {%- if others %}
  {% call statement('update_changed') -%}
    update {{ target_relation }} as v2
    join {{ checked }} as wanted on {{ on_key }}
    set {% for c in others %}v2.{{ adapter.quote(c) }} = wanted.{{ adapter.quote(c) }}{{ ", " if not loop.last }}{% endfor %}
    where wanted._reject_reason is null
      and not ({% for c in others %}binary v2.{{ adapter.quote(c) }} <=> binary wanted.{{ adapter.quote(c) }}{{ " and " if not loop.last }}{% endfor %})
  {%- endcall %}
  {%- set updated = load_result('update_changed').response.rows_affected -%}
  {%- endif %}
  {% call statement('insert_new') -%}
    insert into {{ target_relation }} ({% for c in table_columns %}{{ adapter.quote(c) }}{{ ", " if not loop.last }}{% endfor %})
    select {% for c in table_columns %}wanted.{{ adapter.quote(c) }}{{ ", " if not loop.last }}{% endfor %}
    from {{ checked }} as wanted
    left join {{ target_relation }} as v2 on {{ on_key }}
    where wanted._reject_reason is null and v2.{{ adapter.quote(key_columns[0]) }} is null
    order by {% for k in key_columns %}wanted.{{ adapter.quote(k) }}{{ ", " if not loop.last }}{% endfor %}
  {%- endcall %}
  {%- set inserted = load_result('insert_new').response.rows_affected -%}
  {% call statement('record_changes') -%}
    replace into {{ work_relation('v2_applied_changes') }} (table_name, inserted_rows, updated_rows, deleted_rows)
    values ('{{ target_relation.identifier }}', {{ inserted }}, {{ updated }}, {{ deleted }})
  {%- endcall %}
  {%- do store_raw_result(name='main', message='applied: ' ~ inserted ~ ' inserted, ' ~ updated ~ ' updated, '
                          ~ deleted ~ ' deleted', code='SUCCESS', rows_affected=inserted + updated + deleted) -%}
{% endmacro %}


{#- A table with no key (a join table v1 keeps without a primary key): compared as a multiset.
    The distinct rows whose number of copies differs between v2 and the candidate rows (NULLs
    alike) are found in one pass; only their copies are deleted from v2 and inserted again, as
    many as a full run would load. -#}
{% macro apply_changes_without_key(target_relation, checked, table_columns) %}
  {%- set columns -%}{% for c in table_columns %}{{ adapter.quote(c) }}{{ ", " if not loop.last }}{% endfor %}{%- endset -%}
  {#- a temporary table of this session, named in the work schema (no default database here) -#}
  {%- set differing = work_relation('moh_differing_' ~ target_relation.identifier) -%}
  {%- set same_row -%}
    {%- for c in table_columns %}differing.{{ adapter.quote(c) }} <=> {{ "{}" }}.{{ adapter.quote(c) }}{{ " and " if not loop.last }}{% endfor -%}
  {%- endset -%}
  {% call statement('forget_differing', auto_begin=False) -%}
    drop temporary table if exists {{ differing }}
  {%- endcall %}
  {% call statement('find_differing') -%}
    create temporary table {{ differing }} as
    select {{ columns }} from (
      select {{ columns }}, 1 as side from {{ target_relation }}
      union all
      select {{ columns }}, -1 as side from {{ checked }} where _reject_reason is null
    ) as both_sides
    group by {{ columns }}
    having sum(side) <> 0
  {%- endcall %}
  {% call statement('checks_off_for_changes') -%}
    set session foreign_key_checks = 0
  {%- endcall %}
  {% call statement('delete_differing') -%}
    delete from {{ target_relation }}
    where exists (select 1 from {{ differing }} as differing where {{ same_row.replace('{}', target_relation | string) }})
  {%- endcall %}
  {%- set deleted = load_result('delete_differing').response.rows_affected -%}
  {% call statement('insert_differing') -%}
    insert into {{ target_relation }} ({{ columns }})
    select {{ columns }} from {{ checked }} as wanted
    where wanted._reject_reason is null
      and exists (select 1 from {{ differing }} as differing where {{ same_row.replace('{}', 'wanted') }})
  {%- endcall %}
  {%- set inserted = load_result('insert_differing').response.rows_affected -%}
  {% call statement('drop_differing') -%}
    drop temporary table {{ differing }}
  {%- endcall %}
  {% call statement('record_changes') -%}
    replace into {{ work_relation('v2_applied_changes') }} (table_name, inserted_rows, updated_rows, deleted_rows)
    values ('{{ target_relation.identifier }}', {{ inserted }}, 0, {{ deleted }})
  {%- endcall %}
  {%- do store_raw_result(name='main', message='applied: ' ~ inserted ~ ' inserted, 0 updated, '
                          ~ deleted ~ ' deleted', code='SUCCESS', rows_affected=inserted + deleted) -%}
{% endmacro %}


{#- The query of a v2 model: the rows of its checked model that load. Every v2 model waits for
    int_unstorable_values, the last check before any v2 table is written, and for the v2
    tables it points at (so that a failed test there stops it, and its rows can go in with the
    foreign keys on). -#}
{% macro v2_rows() %}
  {%- set spec = v2_spec(model.name) -%}
  {%- set checked = ref('int_' ~ model.name ~ '_checked') -%}
  {%- if not var('plan_only') -%}
    {%- do ref('int_unstorable_values') -%}
    {%- for parent in (spec.get('references', {}).values() | list) + (['patients'] if spec.get('patient_refs') else []) -%}
      {%- if parent != model.name -%}{%- do ref(parent) -%}{%- endif -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if not execute -%}
    {{ return('select 1 as _parse_only') }}
  {%- endif -%}
  {%- set v2_schema = var('v2_schema', none) or target.schema -%}
select
    {%- for c in table_columns(v2_schema, model.name) %}
    {{ adapter.quote(c.name) }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ checked }}
where _reject_reason is null
{% endmacro %}
