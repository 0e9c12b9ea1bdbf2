{#-
  v2_table on PostgreSQL: fill a table that the v2 application created; never create, drop or
  alter it. As on MySQL, the model's query selects the rows of int_<table>_checked that load,
  and one transaction replaces the table's rows with them, in primary-key order.

  What differs:
  - Foreign keys stay on (PostgreSQL turns them off only for a superuser, per session with
    session_replication_role): the models load in dependency order, parents first, and a row's
    references point only at parent rows that load (the checked model saw to it), so every row
    goes in with the keys checked. The old rows are deleted first; v2's foreign keys cascade, and
    the child tables are reloaded after their parents. A column pointing into its own table
    (patients.relation_patient_id) is inserted NULL and set once every row is in.
  - Each value is cast to its v2 column's type (text into uuid, json, an enum-like varchar; an
    integer into boolean): a value v2 cannot store has been found and handled by the checked model.
  - After the load, every sequence of the table's columns is set past the highest value.
  - An incremental run (var apply_changes_only) writes the table's differences with the keys
    on: see postgres_apply_changes below.
-#}
{% materialization v2_table, adapter='postgres' %}
  {%- set target_relation = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
  {%- if target_relation is none -%}
    {{ refuse("v2 table " ~ this ~ " does not exist; create the v2 schema (the v2 application's DDL) before migrating") }}
  {%- endif -%}

  {%- set table_columns = adapter.get_columns_in_relation(target_relation) -%}
  {%- set table_names = table_columns | map(attribute='name') | map('lower') | list -%}
  {%- set query_columns = get_columns_in_query(sql) | map('lower') | list -%}
  {%- if table_names | sort != query_columns | sort -%}
    {{ refuse("v2 table " ~ this ~ " does not match model " ~ model.name
        ~ ": columns the model does not produce: [" ~ (table_names | reject('in', query_columns) | join(', ')) ~ "]"
        ~ "; columns the table does not have: [" ~ (query_columns | reject('in', table_names) | join(', ')) ~ "]") }}
  {%- endif -%}

  {%- set spec = v2_spec(model.name) -%}
  {%- set key_columns = spec.get('unique_key') or [] -%}
  {%- set checked = ref('int_' ~ model.name ~ '_checked') -%}
  {%- set self_references = spec.get('self_references') or [] -%}
  {%- set column_list = [] -%}
  {%- set select_list = [] -%}
  {%- for c in table_columns -%}
    {%- set name = c.name | lower -%}
    {%- do column_list.append(adapter.quote(name)) -%}
    {%- do select_list.append('null' if name in self_references else pg_cast_to(adapter.quote(name), c.data_type)) -%}
  {%- endfor -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {%- if var('apply_changes_only') -%}
    {{ postgres_apply_changes(target_relation, checked, table_columns, key_columns, self_references) }}
    {{ set_sequences_past_max(target_relation) }}
    {{ analyze_v2_table(target_relation) }}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
  {%- endif -%}
  {% call statement('clear_table') -%}
    delete from {{ target_relation }}
  {%- endcall %}
  {% call statement('main') -%}
    insert into {{ target_relation }} ({{ column_list | join(', ') }})
    select {{ select_list | join(', ') }}
    from (
      {{ sql }}
    ) as loaded
    {%- if key_columns %}
    order by {{ quoted_columns(key_columns) }}
    {%- endif %}
  {%- endcall %}

  {%- if self_references %}
  {% call statement('self_references') -%}
    update {{ target_relation }} as loaded
    set {% for c in self_references %}{{ adapter.quote(c) }} = {{ pg_cast_to('wanted.' ~ adapter.quote(c), (table_columns | selectattr('name', 'equalto', c) | first).data_type) }}{{ ", " if not loop.last }}{% endfor %}
    from {{ checked }} as wanted
    where {% for k in key_columns %}loaded.{{ adapter.quote(k) }} = {{ pg_cast_to('wanted.' ~ adapter.quote(k), (table_columns | selectattr('name', 'equalto', k) | first).data_type) }}{{ " and " if not loop.last }}{% endfor %}
      and wanted._reject_reason is null
      and ({% for c in self_references %}wanted.{{ adapter.quote(c) }} is not null{{ " or " if not loop.last }}{% endfor %})
  {%- endcall %}
  {%- endif %}

  {{ set_sequences_past_max(target_relation) }}
  {{ analyze_v2_table(target_relation) }}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#- The table's planner statistics, fresh: the dbt tests that follow (foreign keys, uniqueness)
    and the child tables' loads read it at once, before autovacuum would; without them the
    planner takes a loaded table for empty and an anti-join becomes a nested loop (a foreign key
    test of visits took minutes at 100,000 patients). -#}
{% macro analyze_v2_table(target_relation) %}
  {% call statement('analyze') -%}
    analyze {{ target_relation }}
  {%- endcall %}
{% endmacro %}


{#- Every sequence of the table's columns past its highest value: the next insert of the
    application must not collide with a migrated id. -#}
{% macro set_sequences_past_max(target_relation) %}
  {%- set sequences = run_query(
      "select a.attname, pg_get_serial_sequence(" ~ sql_literal(adapter.quote(target_relation.schema) ~ '.' ~ adapter.quote(target_relation.identifier))
      ~ ", a.attname) from pg_attribute a where a.attrelid = " ~ sql_literal(adapter.quote(target_relation.schema) ~ '.' ~ adapter.quote(target_relation.identifier))
      ~ "::regclass and a.attnum > 0 and not a.attisdropped") -%}
  {%- for column, sequence in sequences if sequence %}
  {#- never back: an incremental run may delete the highest ids, which the application must not
      hand out again (MariaDB's AUTO_INCREMENT does not go back either) -#}
  {% call statement('sequence_' ~ loop.index) -%}
    select pg_catalog.setval({{ sql_literal(sequence) }}, greatest(highest, 1), highest > 0)
    from (
      select greatest(coalesce(max({{ adapter.quote(column) }}), 0),
                      (select case when is_called then last_value else 0 end from {{ sequence }})) as highest
      from {{ target_relation }}
    ) as past
  {%- endcall %}
  {%- endfor %}

{% endmacro %}


{#- A value cast to a v2 column's PostgreSQL type. An integer (tinyint(1) in v1) becomes a
    boolean through integer: PostgreSQL casts integer, not smallint, to boolean. -#}
{% macro pg_cast_to(expression, data_type) -%}
  {%- if data_type == 'boolean' -%}
    cast(cast({{ expression }} as integer) as boolean)
  {%- else -%}
    cast({{ expression }} as {{ data_type }})
  {%- endif -%}
{%- endmacro %}


{#- An incremental run on PostgreSQL (var apply_changes_only): the table is brought to what a
    full run would load, by its differences only, in the caller's transaction, with the foreign
    keys on. The models run parents first, so a row's new references point at rows already in.

    The counts mean what they mean on MariaDB and are taken before any write: rows whose key no
    longer loads (deleted), rows whose columns differ (updated; a json column compared as its
    text, every other column as its v2 type, so a change of case or of trailing spaces is a
    change), keys that are new (inserted). Then the rows go: a column pointing into its own
    table is unset where it points at a row that goes (else ON DELETE CASCADE would take the
    relative with it); the gone rows are deleted; changed rows updated (before new keys go in,
    as on MariaDB, so a unique value that moves from an old row to a new one moves first); new
    rows inserted with such columns NULL; then those columns set.

    A delete here cascades to the child tables (v2's foreign keys are ON DELETE CASCADE): what
    it took from each child is read from pg_stat_xact_user_tables (this transaction's counts,
    before and after the delete) and kept in the child's cascaded_rows, which the child's own
    step adds to its deleted rows. A child row that a parent's delete took but that still loads
    (its reference set NULL by a rule) counts as deleted and inserted again, which is what
    PostgreSQL did. -#}
{% macro postgres_apply_changes(target_relation, checked, table_columns, key_columns, self_references) %}
  {%- if not key_columns -%}
    {{ return(postgres_apply_changes_without_key(target_relation, checked, table_columns)) }}
  {%- endif -%}
  {%- set types = {} -%}
  {%- for c in table_columns -%}{%- do types.update({c.name | lower: c.data_type}) -%}{%- endfor -%}
  {%- set names = table_columns | map(attribute='name') | map('lower') | list -%}
  {%- set others = names | reject('in', key_columns | map('lower') | list) | list -%}
  {%- set on_key -%}
    {%- for k in key_columns %}v2.{{ adapter.quote(k) }} = {{ pg_cast_to('wanted.' ~ adapter.quote(k), types[k]) }}{{ " and " if not loop.last }}{% endfor -%}
  {%- endset -%}
  {%- set loads -%}
    exists (select 1 from {{ checked }} as wanted where wanted._reject_reason is null and {{ on_key }})
  {%- endset -%}
  {%- set differs -%}
    {%- for c in others %}{{ postgres_differs('v2.' ~ adapter.quote(c), 'wanted.' ~ adapter.quote(c), types[c]) }}{{ " or " if not loop.last }}{% endfor -%}
  {%- endset -%}
  {%- set counted = run_query(
      "select (select count(*) from " ~ target_relation ~ " as v2 where not " ~ loads ~ "), "
      ~ ("(select count(*) from " ~ target_relation ~ " as v2 join " ~ checked ~ " as wanted on " ~ on_key
         ~ " where wanted._reject_reason is null and (" ~ differs ~ ")), " if others else "0, ")
      ~ "(select count(*) from " ~ checked ~ " as wanted where wanted._reject_reason is null and not exists ("
      ~ "select 1 from " ~ target_relation ~ " as v2 where " ~ on_key ~ "))").rows[0] -%}
  {%- set deleted, updated, inserted = counted[0] | int, counted[1] | int, counted[2] | int -%}

  {%- for c in self_references %}
  {% call statement('unset_relatives_of_gone_' ~ loop.index) -%}
    update {{ target_relation }} as relative
    set {{ adapter.quote(c) }} = null
    from {{ target_relation }} as v2
    where v2.{{ adapter.quote(key_columns[0]) }} = relative.{{ adapter.quote(c) }} and not {{ loads }}
  {%- endcall %}
  {%- endfor %}
  {%- set deletes_before = pg_deletes_so_far(target_relation.schema) -%}
  {% call statement('delete_gone') -%}
    delete from {{ target_relation }} as v2 where not {{ loads }}
  {%- endcall %}
  {%- set deletes_after = pg_deletes_so_far(target_relation.schema) -%}
  {%- set plain = others | reject('in', self_references) | list -%}
  {%- if plain %}
  {% call statement('update_changed') -%}
    update {{ target_relation }} as v2
    set {% for c in plain %}{{ adapter.quote(c) }} = {{ pg_cast_to('wanted.' ~ adapter.quote(c), types[c]) }}{{ ", " if not loop.last }}{% endfor %}
    from {{ checked }} as wanted
    where {{ on_key }} and wanted._reject_reason is null
      and ({% for c in plain %}{{ postgres_differs('v2.' ~ adapter.quote(c), 'wanted.' ~ adapter.quote(c), types[c]) }}{{ " or " if not loop.last }}{% endfor %})
  {%- endcall %}
  {%- endif %}
  {% call statement('insert_new') -%}
    insert into {{ target_relation }} ({{ quoted_columns(names) }})
    select {% for c in names %}{{ 'null' if c in self_references else pg_cast_to('wanted.' ~ adapter.quote(c), types[c]) }}{{ ", " if not loop.last }}{% endfor %}
    from {{ checked }} as wanted
    where wanted._reject_reason is null
      and not exists (select 1 from {{ target_relation }} as v2 where {{ on_key }})
    order by {% for k in key_columns %}wanted.{{ adapter.quote(k) }}{{ ", " if not loop.last }}{% endfor %}
  {%- endcall %}
  {#- relatives last: the rows they point at are all in now -#}
  {%- for c in self_references %}
  {% call statement('set_relatives_' ~ loop.index) -%}
    update {{ target_relation }} as v2
    set {{ adapter.quote(c) }} = {{ pg_cast_to('wanted.' ~ adapter.quote(c), types[c]) }}
    from {{ checked }} as wanted
    where {{ on_key }} and wanted._reject_reason is null
      and {{ postgres_differs('v2.' ~ adapter.quote(c), 'wanted.' ~ adapter.quote(c), types[c]) }}
  {%- endcall %}
  {%- endfor %}
  {%- for child, rows in deletes_after.items() if child != target_relation.identifier and rows > deletes_before.get(child, 0) %}
  {% call statement('cascaded_' ~ loop.index) -%}
    insert into {{ work_relation('v2_applied_changes') }} as applied
      (table_name, inserted_rows, updated_rows, deleted_rows, cascaded_rows)
    values ({{ sql_literal(child) }}, 0, 0, 0, {{ rows - deletes_before.get(child, 0) }})
    on conflict (table_name) do update set cascaded_rows = applied.cascaded_rows + excluded.cascaded_rows
  {%- endcall %}
  {%- endfor %}
  {{ postgres_record_changes(target_relation, inserted, updated, deleted) }}
{% endmacro %}


{#- A table with no key: compared as a multiset, as on MariaDB (apply_changes_without_key). -#}
{% macro postgres_apply_changes_without_key(target_relation, checked, table_columns) %}
  {%- set names = table_columns | map(attribute='name') | map('lower') | list -%}
  {%- set differing = adapter.quote('moh_differing_' ~ target_relation.identifier) -%}
  {%- set same_row -%}
    {%- for c in names %}differing.{{ adapter.quote(c) }} is not distinct from {{ "{}" }}.{{ adapter.quote(c) }}{{ " and " if not loop.last }}{% endfor -%}
  {%- endset -%}
  {#- a temporary table of this transaction (PostgreSQL keeps it in the session's own schema) -#}
  {% call statement('find_differing') -%}
    create temporary table {{ differing }} on commit drop as
    select {{ quoted_columns(names) }} from (
      select {{ quoted_columns(names) }}, 1 as side from {{ target_relation }}
      union all
      select {% for c in table_columns %}{{ pg_cast_to('wanted.' ~ adapter.quote(c.name | lower), c.data_type) }}{{ ", " if not loop.last }}{% endfor %}, -1 as side
      from {{ checked }} as wanted where wanted._reject_reason is null
    ) as both_sides
    group by {{ quoted_columns(names) }}
    having sum(side) <> 0
  {%- endcall %}
  {% call statement('delete_differing') -%}
    delete from {{ target_relation }} as v2
    where exists (select 1 from {{ differing }} as differing where {{ same_row.replace('{}', 'v2') }})
  {%- endcall %}
  {%- set deleted = load_result('delete_differing').response.rows_affected -%}
  {% call statement('insert_differing') -%}
    insert into {{ target_relation }} ({{ quoted_columns(names) }})
    select * from (
      select {% for c in table_columns %}{{ pg_cast_to('wanted.' ~ adapter.quote(c.name | lower), c.data_type) }} as {{ adapter.quote(c.name | lower) }}{{ ", " if not loop.last }}{% endfor %}
      from {{ checked }} as wanted where wanted._reject_reason is null
    ) as wanted
    where exists (select 1 from {{ differing }} as differing where {{ same_row.replace('{}', 'wanted') }})
  {%- endcall %}
  {%- set inserted = load_result('insert_differing').response.rows_affected -%}
  {{ postgres_record_changes(target_relation, inserted, 0, deleted) }}
{% endmacro %}


{#- A v2 column differs from its wanted value: json as its text (json has no equality; it
    keeps the text it was given), every other type as the value cast to the column's type. -#}
{% macro postgres_differs(v2_value, wanted_value, data_type) -%}
  {%- if data_type == 'json' -%}
    cast({{ v2_value }} as text) is distinct from cast({{ wanted_value }} as text)
  {%- else -%}
    {{ v2_value }} is distinct from {{ pg_cast_to(wanted_value, data_type) }}
  {%- endif -%}
{%- endmacro %}


{#- Rows deleted so far in this transaction, per table of the schema (cascades included). -#}
{% macro pg_deletes_so_far(schema) %}
  {%- set found = {} -%}
  {#- in name order: two parents loading at once then lock their children's counts in one order -#}
  {%- for table, rows in run_query("select relname::text, n_tup_del from pg_stat_xact_user_tables where schemaname = "
                                    ~ sql_literal(schema) ~ " order by relname").rows -%}
    {%- do found.update({table: rows | int}) -%}
  {%- endfor -%}
  {{ return(found) }}
{% endmacro %}


{#- The table's changes into v2_applied_changes: its deleted rows include those its parents'
    deletes took with it since its last step (cascaded_rows, then back to 0). -#}
{% macro postgres_record_changes(target_relation, inserted, updated, deleted) %}
  {% call statement('record_changes', fetch_result=True) -%}
    insert into {{ work_relation('v2_applied_changes') }} as applied
      (table_name, inserted_rows, updated_rows, deleted_rows, cascaded_rows)
    values ({{ sql_literal(target_relation.identifier) }}, {{ inserted }}, {{ updated }}, {{ deleted }}, 0)
    on conflict (table_name) do update set inserted_rows = excluded.inserted_rows,
      updated_rows = excluded.updated_rows, deleted_rows = excluded.deleted_rows + applied.cascaded_rows,
      cascaded_rows = 0
    returning deleted_rows
  {%- endcall %}
  {%- set deleted = load_result('record_changes').table.rows[0][0] | int -%}
  {%- do store_raw_result(name='main', message='applied: ' ~ inserted ~ ' inserted, ' ~ updated ~ ' updated, '
                          ~ deleted ~ ' deleted', code='SUCCESS', rows_affected=inserted + updated + deleted) -%}
{% endmacro %}
