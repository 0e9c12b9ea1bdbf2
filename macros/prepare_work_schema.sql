{#-
  on-run-start: make the work schema and the table that outlives a single run.

  patient_uuid_namespace    the secret behind patient UUIDs: from var patient_uuid_secret when
                            set, else made once at random and kept, so UUIDs are stable across runs
  patient_uuid_memory       the last run's patient crosswalk, which an incremental run keeps
                            UUIDs from (int_patients_minted's post-hook writes it)
  v2_applied_changes        per v2 table, the rows an incremental run inserted, updated, deleted
  v2_table_loads            what each v2 table held after its last load (see v2_table_loads.sql)
-#}
{% macro prepare_work_schema() %}
  {{- adapter.dispatch('prepare_work_schema', 'moh_migrate')() -}}
{% endmacro %}

{% macro default__prepare_work_schema() %}
  {%- if execute and flags.WHICH in ('run', 'build', 'run-operation') -%}
    {%- set schema = work_schema() -%}
    {%- do run_query("create schema if not exists " ~ adapter.quote(schema)) -%}
    {%- do run_query(
        "create table if not exists " ~ work_relation('patient_uuid_namespace') ~ " ("
        ~ " id tinyint not null primary key,"
        ~ " namespace_hex char(32) not null"
        ~ ") engine=InnoDB") -%}
    {%- do run_query(
        "create table if not exists " ~ work_relation('patient_uuid_memory') ~ " ("
        ~ " patient_uuid char(36) not null primary key,"
        ~ " v1_patient_id bigint unsigned null,"
        ~ " v1_user_id bigint unsigned null,"
        ~ " origin varchar(16) not null,"
        ~ " key by_patient (v1_patient_id),"
        ~ " key by_user (v1_user_id, origin)"
        ~ ") engine=InnoDB") -%}
    {%- do run_query(
        "create table if not exists " ~ work_relation('v2_applied_changes') ~ " ("
        ~ " table_name varchar(64) not null primary key,"
        ~ " inserted_rows bigint not null, updated_rows bigint not null, deleted_rows bigint not null"
        ~ ") engine=InnoDB") -%}
    {%- do create_v2_table_loads() -%}
    {%- if var('patient_uuid_secret') -%}
      {%- do run_query(
          "replace into " ~ work_relation('patient_uuid_namespace')
          ~ " (id, namespace_hex) values (1, left(sha2(" ~ sql_literal(var('patient_uuid_secret')) ~ ", 256), 32))") -%}
    {%- else -%}
      {%- do run_query(
          "insert ignore into " ~ work_relation('patient_uuid_namespace')
          ~ " (id, namespace_hex) select 1, left(sha2(concat(uuid(), rand(), sysdate(6)), 256), 32)") -%}
    {%- endif -%}
    {%- do run_query("commit") -%}
  {%- endif -%}
  select 1
{% endmacro %}


{#- int_patients_minted's post-hook: its rows become the memory the next incremental run keeps
    UUIDs from. Not in a dry run, which writes nothing. -#}
{% macro remember_patient_uuids(minted, step) %}
  {%- if not var('plan_only') and step == 'forget' -%}
    delete from {{ work_relation('patient_uuid_memory') }}
  {%- elif not var('plan_only') -%}
    insert into {{ work_relation('patient_uuid_memory') }} (patient_uuid, v1_patient_id, v1_user_id, origin)
    select patient_uuid, v1_patient_id, v1_user_id, origin from {{ minted }}
  {%- endif -%}
{% endmacro %}
