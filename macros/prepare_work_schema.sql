{#-
  on-run-start: make the work schema and the table that outlives a single run.

  patient_uuid_namespace    the secret behind patient UUIDs: from var patient_uuid_secret when
                            set, else made once at random and kept, so UUIDs are stable across runs
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
