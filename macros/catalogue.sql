{#-
  All 63 v2 tables and what the migration does with each. The audit models and the project's
  consistency tests read this list; every "migrated" table has a model of the same name in
  models/v2/. The dispositions are vars of dbt_project.yml, which the driver reads too:

  migrated   loaded from the v1 table of the same name: every table not listed below
  transient  var v2_tables_transient: Laravel runtime state (sessions, caches, queues, reset
             tokens), left as v2 has it, unless var carry_transient_tables lists it, then
             migrated like any other table
  v2_owned   var v2_tables_owned: the v2 application's own migration history, never written
-#}
{% macro v2_tables() -%}
  {#- the tables of the v2 DDL (driver/schemas/v2.sql); dbt parses before it may query a
      database, and the models' ref()s need the list then -#}
  {{- return([
    'allergies', 'appointments', 'associated_symptom_cases', 'cache', 'cache_locks',
    'clinic_medical_specialties', 'clinic_nurses', 'clinics', 'countries',
    'current_medical_case_medicines', 'diagnostic_tests', 'doctor_clinics', 'doctors',
    'failed_jobs', 'governorates', 'icd_entities', 'icd_entity_translations', 'icd_groups',
    'inherited_diseases', 'job_batches', 'jobs', 'medical_case_attachments',
    'medical_case_diagnoses', 'medical_cases', 'medical_center_diagnostic_tests',
    'medical_centers', 'medical_specialties', 'medicine_brands', 'medicine_forms', 'medicines',
    'medicines_frequencies', 'migrations', 'model_has_permissions', 'model_has_roles',
    'multi_type_settings', 'nurses', 'oauth_access_tokens', 'oauth_auth_codes', 'oauth_clients',
    'oauth_personal_access_clients', 'oauth_refresh_tokens', 'password_reset_tokens',
    'patient_allergies', 'patient_health_record_icd_entities', 'patient_health_records',
    'patient_inherited_diseases', 'patients', 'permissions', 'role_has_permissions', 'roles',
    'secretaries', 'sessions', 'symptoms', 'users', 'vaccine_patients', 'vaccines',
    'verification_codes', 'visit_diagnose_attachments', 'visit_diagnostic_tests',
    'visit_prescribed_medications', 'visits', 'visual_setting_translations', 'visual_settings'
  ]) -}}
{%- endmacro %}

{% macro transient_tables() -%}
  {{- return(var('v2_tables_transient') | list) -}}
{%- endmacro %}

{% macro v2_owned_tables() -%}
  {{- return(var('v2_tables_owned') | list) -}}
{%- endmacro %}

{#- Each list is read once per call: a dbt macro call costs about a millisecond, and the audit
    models ask for a disposition per table (migration_reconciliation took 1.7 s to render when
    this loop called the list macros per table). -#}
{% macro migrated_tables() -%}
  {%- set carried = carried_transient_tables() -%}
  {%- set owned, transient = v2_owned_tables(), transient_tables() -%}
  {%- set migrated = [] -%}
  {%- for t in v2_tables() if t not in owned and (t not in transient or t in carried) -%}
    {%- do migrated.append(t) -%}
  {%- endfor -%}
  {{- return(migrated) -}}
{%- endmacro %}

{% macro carried_transient_tables() -%}
  {%- set carried = [] -%}
  {%- set transient = transient_tables() -%}
  {%- for t in var('carry_transient_tables', []) -%}
    {%- if t not in transient -%}
      {{ bad_mapping("carry_transient_tables: " ~ t ~ " is not a transient table (" ~ transient | join(', ') ~ ")") }}
    {%- endif -%}
    {%- do carried.append(t) -%}
  {%- endfor -%}
  {{- return(carried) -}}
{%- endmacro %}

{% macro table_disposition(table) -%}
  {%- if table in migrated_tables() -%}{{ return('migrated') }}
  {%- elif table in transient_tables() -%}{{ return('transient') }}
  {%- else -%}{{ return('v2_owned') }}
  {%- endif -%}
{%- endmacro %}

{% macro all_v2_tables() -%}
  {{- return(v2_tables()) -}}
{%- endmacro %}

{% macro carry_table(table) -%}
  {{- return(table in var('carry_transient_tables', [])) -}}
{%- endmacro %}
