{#-
  All 63 v2 tables and what the migration does with each. The audit models and the project's
  consistency tests read this list; every "migrated" table has a model of the same name in
  models/v2/.

  migrated   loaded from the v1 table of the same name
  transient  Laravel runtime state (sessions, caches, queues, reset tokens): left as v2 has it,
             unless var carry_transient_tables lists it, then migrated like any other table
  v2_owned   the v2 application's own migration history: never written
-#}
{% macro transient_tables() -%}
  {{- return(['cache', 'cache_locks', 'failed_jobs', 'job_batches', 'jobs', 'password_reset_tokens', 'sessions']) -}}
{%- endmacro %}

{% macro v2_owned_tables() -%}
  {{- return(['migrations']) -}}
{%- endmacro %}

{% macro migrated_tables() -%}
  {{- return([
    'allergies', 'appointments', 'associated_symptom_cases', 'clinic_medical_specialties',
    'clinic_nurses', 'clinics', 'countries', 'current_medical_case_medicines', 'diagnostic_tests',
    'doctor_clinics', 'doctors', 'governorates', 'icd_entities', 'icd_entity_translations',
    'icd_groups', 'inherited_diseases', 'medical_case_attachments', 'medical_case_diagnoses',
    'medical_cases', 'medical_center_diagnostic_tests', 'medical_centers', 'medical_specialties',
    'medicine_brands', 'medicine_forms', 'medicines', 'medicines_frequencies',
    'model_has_permissions', 'model_has_roles', 'multi_type_settings', 'nurses',
    'oauth_access_tokens', 'oauth_auth_codes', 'oauth_clients', 'oauth_personal_access_clients',
    'oauth_refresh_tokens', 'patient_allergies', 'patient_health_record_icd_entities',
    'patient_health_records', 'patient_inherited_diseases', 'patients', 'permissions',
    'role_has_permissions', 'roles', 'secretaries', 'symptoms', 'users', 'vaccine_patients',
    'vaccines', 'verification_codes', 'visit_diagnose_attachments', 'visit_diagnostic_tests',
    'visit_prescribed_medications', 'visits', 'visual_setting_translations', 'visual_settings'
  ] + carried_transient_tables()) -}}
{%- endmacro %}

{% macro carried_transient_tables() -%}
  {%- set carried = [] -%}
  {%- for t in var('carry_transient_tables', []) -%}
    {%- if t not in transient_tables() -%}
      {{ exceptions.raise_compiler_error("carry_transient_tables: " ~ t ~ " is not a transient table (" ~ transient_tables() | join(', ') ~ ")") }}
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
  {{- return((migrated_tables() + transient_tables() + v2_owned_tables()) | unique | sort) -}}
{%- endmacro %}

{% macro carry_table(table) -%}
  {{- return(table in var('carry_transient_tables', [])) -}}
{%- endmacro %}
