{#-
  --limit N (var sample_patients): the N patients with the lowest v1 patients.id, and what
  belongs to them (their users, visits, appointments, cases, records, codes and tokens, and the
  rows that hang on those). Staff and reference tables are kept whole, so every reference of
  the sample still finds its row. Applied in staging, so every later rule is the full run's.
-#}

{% macro sample_predicate(table) -%}
  {%- set patients = source('v1', 'patients') -%}
  {%- set users = source('v1', 'users') -%}
  {%- set threshold -%}
    (select coalesce(max(sampled.id), 0) from (select id from {{ patients }} order by id limit {{ var('sample_patients') | int }}) sampled)
  {%- endset -%}
  {%- set kept_users -%}
    (select u.id from {{ users }} u where {{ sample_users_predicate('u', patients, threshold) }})
  {%- endset -%}
  {%- set by_patient = ['appointments', 'visits', 'medical_cases', 'patient_allergies', 'patient_health_records',
                        'patient_inherited_diseases', 'vaccine_patients'] -%}
  {%- set by_case = ['current_medical_case_medicines', 'medical_case_attachments', 'medical_case_diagnoses',
                     'associated_symptom_cases'] -%}
  {%- set cases -%}(select id from {{ source('v1', 'medical_cases') }} where patient_id <= {{ threshold }}){%- endset -%}
  {%- set visits -%}(select id from {{ source('v1', 'visits') }} where patient_id <= {{ threshold }}){%- endset -%}
  {%- if table == 'patients' -%}
    id <= {{ threshold }}
  {%- elif table == 'users' -%}
    {{ sample_users_predicate('v1_rows', patients, threshold) }}
  {%- elif table in by_patient -%}
    patient_id <= {{ threshold }}
  {%- elif table in by_case -%}
    medical_case_id in {{ cases }}
  {%- elif table in ('visit_diagnostic_tests', 'visit_prescribed_medications') -%}
    visit_id in {{ visits }}
  {%- elif table == 'visit_diagnose_attachments' -%}
    visit_diagnostic_test_id in (select id from {{ source('v1', 'visit_diagnostic_tests') }} where visit_id in {{ visits }})
  {%- elif table == 'patient_health_record_icd_entities' -%}
    patient_health_record_id in (select id from {{ source('v1', 'patient_health_records') }} where patient_id <= {{ threshold }})
  {%- elif table in ('verification_codes', 'oauth_access_tokens', 'oauth_auth_codes', 'sessions') -%}
    (user_id is null or user_id in {{ kept_users }})
  {%- elif table == 'oauth_refresh_tokens' -%}
    access_token_id in (select id from {{ source('v1', 'oauth_access_tokens') }} where user_id is null or user_id in {{ kept_users }})
  {%- elif table in ('model_has_roles', 'model_has_permissions') -%}
    (model_type not in ({{ sql_list(var('user_model_types')) }}) or model_id in {{ kept_users }})
  {%- else -%}
    true
  {%- endif -%}
{%- endmacro %}

{#- Users in the sample: every user whose role is staff, every user who is no patient at all
    (they are in the full run's exceptions too), and the users of the sampled patients. -#}
{% macro sample_users_predicate(alias, patients, threshold) -%}
  ({{ alias }}.id in (select user_id from {{ patients }} where id <= {{ threshold }})
   or {{ normalized_role(alias ~ '.type') }} in ({{ sql_list(roles_staff()) }})
   or (coalesce({{ normalized_role(alias ~ '.type') }} not in ({{ sql_list(roles_patients()) }}), true)
       and {{ alias }}.id not in (select user_id from {{ patients }})))
{%- endmacro %}
