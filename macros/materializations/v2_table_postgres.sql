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

  {#- every sequence of the table past its highest value (the next insert of the application
      must not collide with a migrated id) -#}
  {%- set sequences = run_query(
      "select a.attname, pg_get_serial_sequence(" ~ sql_literal(adapter.quote(target_relation.schema) ~ '.' ~ adapter.quote(target_relation.identifier))
      ~ ", a.attname) from pg_attribute a where a.attrelid = " ~ sql_literal(adapter.quote(target_relation.schema) ~ '.' ~ adapter.quote(target_relation.identifier))
      ~ "::regclass and a.attnum > 0 and not a.attisdropped") -%}
  {%- for column, sequence in sequences if sequence %}
  {% call statement('sequence_' ~ loop.index) -%}
    select pg_catalog.setval({{ sql_literal(sequence) }}, coalesce(max({{ adapter.quote(column) }}), 1), max({{ adapter.quote(column) }}) is not null)
    from {{ target_relation }}
  {%- endcall %}
  {%- endfor %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#- A value cast to a v2 column's PostgreSQL type. An integer (tinyint(1) in v1) becomes a
    boolean through integer: PostgreSQL casts integer, not smallint, to boolean. -#}
{% macro pg_cast_to(expression, data_type) -%}
  {%- if data_type == 'boolean' -%}
    cast(cast({{ expression }} as integer) as boolean)
  {%- else -%}
    cast({{ expression }} as {{ data_type }})
  {%- endif -%}
{%- endmacro %}
