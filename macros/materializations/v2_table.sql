{#-
  v2_table: fill a table that the v2 application created; never create, drop or alter it.

  The model's query (see v2_load) returns the v2 columns plus _row_key, _reject_reason and
  _change_reason. In one transaction this materialization
    1. replaces the table's rows with the rows that have no reject reason, in primary-key order;
    2. replaces this table's entries in the exceptions log with the rejected and changed rows.
  So the v2 table and its exceptions always agree, and a re-run gives the same content.

  Before writing it checks that the table exists and has exactly the columns the query gives.
-#}
{% materialization v2_table, default %}
  {%- set target_relation = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
  {%- if target_relation is none -%}
    {{ exceptions.raise_compiler_error("v2 table " ~ this ~ " does not exist; create the v2 schema (the v2 application's DDL) before migrating") }}
  {%- endif -%}

  {%- set audit_columns = ['_row_key', '_reject_reason', '_change_reason'] -%}
  {%- set table_columns = adapter.get_columns_in_relation(target_relation) | map(attribute='name') | map('lower') | list -%}
  {%- set query_columns = get_columns_in_query(sql) | map('lower') | list -%}
  {%- set missing = [] -%}
  {%- set extra = [] -%}
  {%- for c in table_columns -%}{%- if c not in query_columns -%}{%- do missing.append(c) -%}{%- endif -%}{%- endfor -%}
  {%- for c in query_columns -%}{%- if c not in table_columns and c not in audit_columns -%}{%- do extra.append(c) -%}{%- endif -%}{%- endfor -%}
  {%- for c in audit_columns -%}{%- if c not in query_columns -%}{%- do missing.append(c) -%}{%- endif -%}{%- endfor -%}
  {%- if missing or extra -%}
    {{ exceptions.raise_compiler_error("v2 table " ~ this ~ " does not match model " ~ model.name
        ~ ": columns the model does not produce: [" ~ (missing | join(', ')) ~ "]"
        ~ "; columns the table does not have: [" ~ (extra | join(', ')) ~ "]") }}
  {%- endif -%}

  {%- set column_list = [] -%}
  {%- for c in table_columns -%}{%- do column_list.append(adapter.quote(c)) -%}{%- endfor -%}
  {%- set key_columns = config.get('spec', {}).get('unique_key') or [] -%}
  {#- A column pointing into its own table (patients.relation_patient_id) cannot be inserted in
      one statement with the foreign keys on: relatives may point at each other. With checks on,
      it is inserted NULL and set once every row is in, in the same transaction. -#}
  {%- set self_references = [] if var('disable_fk_checks') else (config.get('spec', {}).get('self_references') or []) -%}
  {%- set select_list = [] -%}
  {%- for c in table_columns -%}{%- do select_list.append('null' if c in self_references else adapter.quote(c)) -%}{%- endfor -%}
  {%- set log = work_relation('migration_exceptions_log') -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}

  {#- READ COMMITTED: models load in parallel and all write the one exceptions log; under
      REPEATABLE READ their gap locks on it deadlock, and INSERT ... SELECT would lock the rows
      it reads. The level applies from the next transaction, so the introspection's ends first. -#}
  {% call statement('end_introspection', auto_begin=False) -%}
    commit
  {%- endcall %}
  {% call statement('isolation', auto_begin=False) -%}
    set session transaction isolation level read committed
  {%- endcall %}

  {#- Session settings for a faithful copy: ids of 0 stay 0, timestamps are not shifted by a
      time zone, and foreign key checks follow the disable_fk_checks policy. -#}
  {% call statement('session_settings') -%}
    set session
      sql_mode = concat(@@session.sql_mode, ',NO_AUTO_VALUE_ON_ZERO'),
      time_zone = '+00:00',
      foreign_key_checks = {{ 0 if var('disable_fk_checks') else 1 }}
  {%- endcall %}

  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {#- The old rows go with checks off (on a re-run, rows of other tables still point at them and
      are replaced in their turn); the new rows go in under the disable_fk_checks policy. -#}
  {% call statement('checks_off_for_clearing') -%}
    set session foreign_key_checks = 0
  {%- endcall %}
  {% call statement('clear_table') -%}
    delete from {{ target_relation }}
  {%- endcall %}
  {% call statement('fk_policy') -%}
    set session foreign_key_checks = {{ 0 if var('disable_fk_checks') else 1 }}
  {%- endcall %}

  {% call statement('main') -%}
    insert into {{ target_relation }} ({{ column_list | join(', ') }})
    select {{ select_list | join(', ') }}
    from (
      {{ sql }}
    ) as candidate
    where candidate._reject_reason is null
    {%- if key_columns %}
    order by {% for k in key_columns %}{{ adapter.quote(k) }}{{ ", " if not loop.last }}{% endfor %}
    {%- endif %}
  {%- endcall %}

  {%- if self_references %}
  {% call statement('self_references') -%}
    update {{ target_relation }} as loaded
    join (
      select {% for c in key_columns + self_references %}{{ adapter.quote(c) }}{{ ", " if not loop.last }}{% endfor %}
      from (
        {{ sql }}
      ) as candidate
      where candidate._reject_reason is null
        and ({% for c in self_references %}candidate.{{ adapter.quote(c) }} is not null{{ " or " if not loop.last }}{% endfor %})
    ) as wanted
      on {% for k in key_columns %}loaded.{{ adapter.quote(k) }} = wanted.{{ adapter.quote(k) }}{{ " and " if not loop.last }}{% endfor %}
    set {% for c in self_references %}loaded.{{ adapter.quote(c) }} = wanted.{{ adapter.quote(c) }}{{ ", " if not loop.last }}{% endfor %}
  {%- endcall %}
  {%- endif %}

  {% call statement('clear_exceptions') -%}
    delete from {{ log }} where table_name = {{ sql_literal(model.name) }}
  {%- endcall %}

  {% call statement('record_exceptions') -%}
    insert into {{ log }} (table_name, row_key, action, reason)
    select
      {{ sql_literal(model.name) }},
      candidate._row_key,
      case when candidate._reject_reason is not null then 'rejected' else 'changed' end,
      coalesce(candidate._reject_reason, candidate._change_reason)
    from (
      {{ sql }}
    ) as candidate
    where candidate._reject_reason is not null or candidate._change_reason is not null
  {%- endcall %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}

  {% call statement('restore_fk_checks', auto_begin=False) -%}
    set session foreign_key_checks = 1
  {%- endcall %}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
