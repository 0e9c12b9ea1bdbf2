-- moh-migrate fixture: the v2 (new_moh) schema for PostgreSQL 15, 63 tables, as the v2 application
-- (Laravel) creates it with its PostgreSQL grammar: bigserial ids (bigint with a sequence), boolean for
-- tinyint(1), enums as varchar(255) with a CHECK constraint, patient UUID columns as uuid (other
-- char(36) columns stay char(36): OAuth owners hold a staff id as text), timestamp(0) without time
-- zone, FULLTEXT keys as GIN indexes on to_tsvector. Written for this project from the customer's
-- schema facts; index names carry their table (PostgreSQL's index names are per schema).
-- Load into an empty schema (search_path set to it); the tests and `make demo-postgres` do.

create table "allergies" (
  "id" bigserial not null primary key,
  "title" text not null,
  "description" text null,
  "icd_code" text null,
  "image_file_url" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "allergies_idx_ft_title" on "allergies" using gin ((to_tsvector('english', "title")));

create table "appointments" (
  "id" bigserial not null primary key,
  "created_by_user_id" bigint null,
  "patient_id" uuid not null,
  "doctor_id" bigint not null,
  "clinic_id" bigint not null,
  "medical_center_id" bigint not null,
  "relation_patient_id" uuid null,
  "status" varchar(255) check ("status" in ('BOOKED', 'COMPLETED', 'DID_NOT_COME', 'CANCELLED')) not null default 'BOOKED',
  "booking_date_time" timestamp(0) without time zone not null,
  "easy_appointment_booking_id" integer null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "appointments_idx_patient" on "appointments" ("patient_id");
create index "appointments_idx_doctor" on "appointments" ("doctor_id");
create index "appointments_idx_clinic" on "appointments" ("clinic_id");
create index "appointments_idx_medical_center" on "appointments" ("medical_center_id");
create index "appointments_idx_relation_patient" on "appointments" ("relation_patient_id");
create index "appointments_idx_status" on "appointments" ("status");
create index "appointments_idx_create_user" on "appointments" ("created_by_user_id");

create table "associated_symptom_cases" (
  "symptom_id" bigint not null,
  "medical_case_id" bigint not null
);

create index "associated_symptom_cases_idx_symptom" on "associated_symptom_cases" ("symptom_id");
create index "associated_symptom_cases_idx_case" on "associated_symptom_cases" ("medical_case_id");

create table "cache" (
  "key" varchar(255) not null,
  "value" text not null,
  "expiration" integer not null,
  primary key ("key")
);

create table "cache_locks" (
  "key" varchar(255) not null,
  "owner" varchar(255) not null,
  "expiration" integer not null,
  primary key ("key")
);

create table "clinic_medical_specialties" (
  "clinic_id" bigint not null,
  "medical_specialty_id" bigint not null
);

create index "clinic_medical_specialties_idx_clinic" on "clinic_medical_specialties" ("clinic_id");
create index "clinic_medical_specialties_idx_medical_specialty" on "clinic_medical_specialties" ("medical_specialty_id");

create table "clinic_nurses" (
  "clinic_id" bigint not null,
  "nurse_id" bigint not null
);

create index "clinic_nurses_idx_clinic" on "clinic_nurses" ("clinic_id");
create index "clinic_nurses_idx_nurse" on "clinic_nurses" ("nurse_id");

create table "clinics" (
  "id" bigserial not null primary key,
  "publish" boolean not null default '0',
  "name" varchar(255) not null,
  "medical_center_id" bigint not null,
  "working_hours" text null,
  "working_time" json null,
  "easy_appointment_service_id" integer null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "clinics_idx_publish" on "clinics" ("publish");
create index "clinics_idx_medical_center" on "clinics" ("medical_center_id");
create index "clinics_idx_name" on "clinics" using gin ((to_tsvector('english', "name")));

create table "countries" (
  "id" bigserial not null primary key,
  "publish" boolean not null default '0',
  "name" varchar(255) not null,
  "iso2" varchar(255) not null,
  "iso3" varchar(255) null,
  "phone_number_code" varchar(255) not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "countries_idx_publish" on "countries" ("publish");
create index "countries_idx_iso2" on "countries" ("iso2");
create index "countries_idx_phone_code" on "countries" ("phone_number_code");
create index "countries_idx_name" on "countries" using gin ((to_tsvector('english', "name")));

create table "current_medical_case_medicines" (
  "id" bigserial not null primary key,
  "medical_case_id" bigint not null,
  "medicine_id" bigint not null,
  "medicine_form_id" bigint not null,
  "medicine_frequency" varchar(255) null,
  "dose" text null,
  "indication" text null,
  "notes" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "current_medical_case_medicines_idx_medical_case" on "current_medical_case_medicines" ("medical_case_id");
create index "current_medical_case_medicines_idx_medicine" on "current_medical_case_medicines" ("medicine_id");
create index "current_medical_case_medicines_idc_form" on "current_medical_case_medicines" ("medicine_form_id");

create table "diagnostic_tests" (
  "id" bigserial not null primary key,
  "title" varchar(255) not null,
  "description" text null,
  "image_file_url" text null,
  "type" varchar(255) check ("type" in ('BLOOD_TEST', 'TEST')) not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "diagnostic_tests_idx_type" on "diagnostic_tests" ("type");
create index "diagnostic_tests_idx_title" on "diagnostic_tests" using gin ((to_tsvector('english', "title")));

create table "doctor_clinics" (
  "doctor_id" bigint not null,
  "clinic_id" bigint not null
);

create index "doctor_clinics_doctor_id_foreign" on "doctor_clinics" ("doctor_id");
create index "doctor_clinics_clinic_id_foreign" on "doctor_clinics" ("clinic_id");

create table "doctors" (
  "id" bigserial not null primary key,
  "user_id" bigint not null,
  "medical_specialty_id" bigint not null,
  "medical_center_id" bigint not null,
  "working_time" json null,
  "working_time_exception" json null,
  "easy_appointment_provider_id" integer null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "doctors_user_id_foreign" on "doctors" ("user_id");
create index "doctors_idx_med_spec" on "doctors" ("medical_specialty_id");
create index "doctors_idx_med_cen" on "doctors" ("medical_center_id");

create table "failed_jobs" (
  "id" bigserial not null primary key,
  "uuid" varchar(255) not null,
  "connection" text not null,
  "queue" text not null,
  "payload" text not null,
  "exception" text not null,
  "failed_at" timestamp(0) without time zone not null default CURRENT_TIMESTAMP
);

create table "governorates" (
  "id" bigserial not null primary key,
  "publish" boolean not null default '0',
  "name" varchar(255) not null,
  "description" text null,
  "image_file_url" text null,
  "country_id" bigint not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "governorates_country_id_index" on "governorates" ("country_id");
create index "governorates_idx_gover_name" on "governorates" using gin ((to_tsvector('english', "name")));

create table "icd_entities" (
  "id" bigserial not null primary key,
  "foundation_uri" text null,
  "linearization_uri" text null,
  "code" varchar(255) null,
  "block_id" varchar(255) null,
  "class_kind" varchar(255) check ("class_kind" in ('chapter', 'block', 'category')) null,
  "depth_in_kind" integer null,
  "is_residual" boolean null,
  "chapter_no" varchar(255) null,
  "browser_link" text null,
  "is_leaf" boolean null,
  "primary_tabulation" boolean null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "icd_entities_idx_class" on "icd_entities" ("class_kind");
create index "icd_entities_idx_code" on "icd_entities" using gin ((to_tsvector('english', "code")));

create table "icd_entity_translations" (
  "id" bigserial not null primary key,
  "icd_entity_id" bigint not null,
  "title" varchar(255) not null,
  "locale" varchar(255) not null
);

create index "icd_entity_translations_locale_index" on "icd_entity_translations" ("locale");
create index "icd_entity_translations_idx_title" on "icd_entity_translations" using gin ((to_tsvector('english', "title")));

create table "icd_groups" (
  "id" bigserial not null primary key,
  "icd_entity_id" bigint not null,
  "grouping" varchar(255) not null,
  "level" integer not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "icd_groups_idx_icd_entity" on "icd_groups" ("icd_entity_id");
create index "icd_groups_idx_grouping" on "icd_groups" using gin ((to_tsvector('english', "grouping")));

create table "inherited_diseases" (
  "id" bigserial not null primary key,
  "title" text not null,
  "description" text null,
  "icd_code" text null,
  "image_file_url" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "inherited_diseases_idx_ft_title" on "inherited_diseases" using gin ((to_tsvector('english', "title")));

create table "job_batches" (
  "id" varchar(255) not null,
  "name" varchar(255) not null,
  "total_jobs" integer not null,
  "pending_jobs" integer not null,
  "failed_jobs" integer not null,
  "failed_job_ids" text not null,
  "options" text null,
  "cancelled_at" integer null,
  "created_at" integer not null,
  "finished_at" integer null,
  primary key ("id")
);

create table "jobs" (
  "id" bigserial not null primary key,
  "queue" varchar(255) not null,
  "payload" text not null,
  "attempts" smallint not null,
  "reserved_at" integer null,
  "available_at" integer not null,
  "created_at" integer not null
);

create index "jobs_queue_index" on "jobs" ("queue");

create table "medical_case_attachments" (
  "id" bigserial not null primary key,
  "medical_case_id" bigint not null,
  "title" varchar(255) not null,
  "file_path_url" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medical_case_attachments_idx_medical_case" on "medical_case_attachments" ("medical_case_id");

create table "medical_case_diagnoses" (
  "id" bigserial not null primary key,
  "medical_case_id" bigint not null,
  "icd_entity_id" bigint null,
  "status" varchar(255) check ("status" in ('CONFIRMED', 'POSTOPERATIVE', 'UNCONFIRMED')) not null,
  "type" varchar(255) check ("type" in ('DEFINITIVE_DIAGNOSES', 'DIFFERENTIAL_DIAGNOSES')) null default 'DEFINITIVE_DIAGNOSES',
  "injury_side" varchar(255) check ("injury_side" in ('LEFT', 'RIGHT', 'MIDDLE')) null,
  "diagnosis" text null,
  "notes" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medical_case_diagnoses_idx_medical_case" on "medical_case_diagnoses" ("medical_case_id");
create index "medical_case_diagnoses_idx_icd_entity" on "medical_case_diagnoses" ("icd_entity_id");
create index "medical_case_diagnoses_idx_status" on "medical_case_diagnoses" ("status");
create index "medical_case_diagnoses_idx_injury_side" on "medical_case_diagnoses" ("injury_side");
create index "medical_case_diagnoses_idx_type" on "medical_case_diagnoses" ("type");

create table "medical_cases" (
  "id" bigserial not null primary key,
  "patient_id" uuid not null,
  "doctor_id" bigint not null,
  "medical_center_id" bigint not null,
  "chief_complaint" text null,
  "status" varchar(255) check ("status" in ('OPEN', 'CLOSED')) not null default 'OPEN',
  "triage_level" varchar(255) check ("triage_level" in ('EMERGENCY_RED', 'PRIORITY_YELLOW', 'NON_URGENT_GREEN')) null,
  "onset" text null,
  "duration" text null,
  "location" text null,
  "severity" varchar(255) check ("severity" in ('MID', 'MODERATE', 'SEVERE', 'LIFE_THREATENING')) null,
  "character_quality" text null,
  "aggravating_factors" text null,
  "relieving_factors" text null,
  "timing" text null,
  "blood_pressure" text null,
  "heart_rate" text null,
  "temperature" text null,
  "respiratory_rate" text null,
  "o2_saturation" text null,
  "weight" text null,
  "height" text null,
  "bmi" text null,
  "general_appearance" text null,
  "heent" text null,
  "cardiovascular" text null,
  "respiratory" text null,
  "abdominal" text null,
  "neurological" text null,
  "musculoskeletal" text null,
  "skin" text null,
  "provocation" text null,
  "quality" text null,
  "region" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medical_cases_idx_patient" on "medical_cases" ("patient_id");
create index "medical_cases_idx_doctor" on "medical_cases" ("doctor_id");
create index "medical_cases_idx_medical_center" on "medical_cases" ("medical_center_id");
create index "medical_cases_idx_triage" on "medical_cases" ("triage_level");
create index "medical_cases_idx_status" on "medical_cases" ("status");
create index "medical_cases_idx_severity" on "medical_cases" ("severity");

create table "medical_center_diagnostic_tests" (
  "id" bigserial not null primary key,
  "diagnostic_test_id" bigint not null,
  "medical_center_id" bigint not null,
  "status" varchar(255) check ("status" in ('AVAILABLE', 'MAINTENANCE')) not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medical_center_diagnostic_tests_idx_diagnostic_test" on "medical_center_diagnostic_tests" ("diagnostic_test_id");
create index "medical_center_diagnostic_tests_idx_medical_center" on "medical_center_diagnostic_tests" ("medical_center_id");
create index "medical_center_diagnostic_tests_idX_status" on "medical_center_diagnostic_tests" ("status");

create table "medical_centers" (
  "id" bigserial not null primary key,
  "publish" boolean not null default '0',
  "governorate_id" bigint not null,
  "name" varchar(255) not null,
  "address" text not null,
  "longitude" varchar(255) null,
  "latitude" varchar(255) null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medical_centers_idx_publish" on "medical_centers" ("publish");
create index "medical_centers_idx_governorate_id" on "medical_centers" ("governorate_id");
create index "medical_centers_idx_name" on "medical_centers" using gin ((to_tsvector('english', "name")));

create table "medical_specialties" (
  "id" bigserial not null primary key,
  "publish" boolean not null default '0',
  "name_ar" varchar(255) not null,
  "name_en" varchar(255) null,
  "description" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medical_specialties_idx_publish" on "medical_specialties" ("publish");
create index "medical_specialties_idx_name_ar" on "medical_specialties" using gin ((to_tsvector('english', "name_ar")));
create index "medical_specialties_idx_name_en" on "medical_specialties" using gin ((to_tsvector('english', "name_en")));

create table "medicine_brands" (
  "id" bigserial not null primary key,
  "title" text not null,
  "description" text null,
  "image_file_url" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medicine_brands_idx_title" on "medicine_brands" using gin ((to_tsvector('english', "title")));

create table "medicine_forms" (
  "id" bigserial not null primary key,
  "title" text not null,
  "image_file_url" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medicine_forms_idx_title" on "medicine_forms" using gin ((to_tsvector('english', "title")));

create table "medicines" (
  "id" bigserial not null primary key,
  "publish" boolean not null default '0',
  "title" text not null,
  "medicine_brand_id" bigint null,
  "medicine_form_id" bigint not null,
  "composition" text not null,
  "dose" text not null,
  "package" text not null,
  "pharmacy_price" decimal(15,3) null,
  "retail_price" decimal(15,3) null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medicines_idx_publish" on "medicines" ("publish");
create index "medicines_idx_brand" on "medicines" ("medicine_brand_id");
create index "medicines_idx_form" on "medicines" ("medicine_form_id");
create index "medicines_idx_title" on "medicines" using gin ((to_tsvector('english', "title")));

create table "medicines_frequencies" (
  "id" bigserial not null primary key,
  "code" varchar(255) not null,
  "description" text not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "medicines_frequencies_idx_code" on "medicines_frequencies" using gin ((to_tsvector('english', "code")));

create table "migrations" (
  "id" serial not null primary key,
  "migration" varchar(255) not null,
  "batch" integer not null
);

create table "model_has_permissions" (
  "permission_id" bigint not null,
  "model_type" varchar(255) not null,
  "model_id" bigint not null,
  primary key ("permission_id", "model_id", "model_type")
);

create index "model_has_permissions_model_id_model_type_index" on "model_has_permissions" ("model_id", "model_type");

create table "model_has_roles" (
  "role_id" bigint not null,
  "model_type" varchar(255) not null,
  "model_id" bigint not null,
  primary key ("role_id", "model_id", "model_type")
);

create index "model_has_roles_model_id_model_type_index" on "model_has_roles" ("model_id", "model_type");

create table "multi_type_settings" (
  "id" bigserial not null primary key,
  "setting_key" varchar(100) not null,
  "value" text not null,
  "type" varchar(255) check ("type" in ('EMAIL', 'LINK', 'NUMBER', 'PHONE_NUMBER', 'TEXT', 'BOOLEAN')) not null,
  "description" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "multi_type_settings_idx_type" on "multi_type_settings" ("type");
create index "multi_type_settings_idx_ft_setting_key" on "multi_type_settings" using gin ((to_tsvector('english', "setting_key")));

create table "nurses" (
  "id" bigserial not null primary key,
  "user_id" bigint not null,
  "medical_center_id" bigint not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "nurses_user_id_foreign" on "nurses" ("user_id");
create index "nurses_idx_medi_cent" on "nurses" ("medical_center_id");

create table "oauth_access_tokens" (
  "id" varchar(100) not null,
  "user_id" char(36) not null,
  "client_id" char(36) not null,
  "name" varchar(255) null,
  "scopes" text null,
  "revoked" boolean not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null,
  "expires_at" timestamp(0) without time zone null,
  primary key ("id")
);

create index "oauth_access_tokens_user_id_index" on "oauth_access_tokens" ("user_id");

create table "oauth_auth_codes" (
  "id" varchar(100) not null,
  "user_id" char(36) not null,
  "client_id" char(36) not null,
  "scopes" text null,
  "revoked" boolean not null,
  "expires_at" timestamp(0) without time zone null,
  primary key ("id")
);

create index "oauth_auth_codes_user_id_index" on "oauth_auth_codes" ("user_id");

create table "oauth_clients" (
  "id" char(36) not null,
  "user_id" bigint null,
  "name" varchar(255) not null,
  "secret" varchar(100) null,
  "provider" varchar(255) null,
  "redirect" text not null,
  "personal_access_client" boolean not null,
  "password_client" boolean not null,
  "revoked" boolean not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null,
  primary key ("id")
);

create index "oauth_clients_user_id_index" on "oauth_clients" ("user_id");

create table "oauth_personal_access_clients" (
  "id" bigserial not null primary key,
  "client_id" char(36) not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create table "oauth_refresh_tokens" (
  "id" varchar(100) not null,
  "access_token_id" varchar(100) not null,
  "revoked" boolean not null,
  "expires_at" timestamp(0) without time zone null,
  primary key ("id")
);

create index "oauth_refresh_tokens_access_token_id_index" on "oauth_refresh_tokens" ("access_token_id");

create table "password_reset_tokens" (
  "email" varchar(255) not null,
  "token" varchar(255) not null,
  "created_at" timestamp(0) without time zone null,
  primary key ("email")
);

create table "patient_allergies" (
  "id" bigserial not null primary key,
  "patient_id" uuid not null,
  "allergy_id" bigint not null,
  "severity" varchar(255) check ("severity" in ('MID', 'MODERATE', 'SEVERE', 'LIFE_THREATENING')) not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "patient_allergies_idx_patient_allerg" on "patient_allergies" ("patient_id");
create index "patient_allergies_idx_allergy" on "patient_allergies" ("allergy_id");
create index "patient_allergies_idx_severity" on "patient_allergies" ("severity");

create table "patient_health_record_icd_entities" (
  "patient_health_record_id" bigint not null,
  "icd_entity_id" bigint not null
);

create index "patient_health_record_icd_entities_idx_patient_health_record" on "patient_health_record_icd_entities" ("patient_health_record_id");
create index "patient_health_record_icd_entities_idx_icd_entity" on "patient_health_record_icd_entities" ("icd_entity_id");

create table "patient_health_records" (
  "id" bigserial not null primary key,
  "patient_id" uuid not null,
  "doctor_id" bigint not null,
  "visit_id" bigint not null,
  "chronic_illnesses" text null,
  "past_hospitalizations" text null,
  "surgeries_procedures" text null,
  "major_injuries_accidents" text null,
  "psychiatric_history" text null,
  "ob_gyn_history" text null,
  "significant_family_medical_history" text null,
  "active_medication_list" text null,
  "known_allergies" text null,
  "tobacco_use" text null,
  "alcohol_use" text null,
  "illicit_drug_use" text null,
  "occupation" text null,
  "living_situation" text null,
  "exercise_habits" text null,
  "diet" text null,
  "primary_reason_visit" text null,
  "detailed_narrative_problems" text null,
  "constitutional" text null,
  "heent_ros" text null,
  "respiratory" text null,
  "cardiovascular_ros" text null,
  "gastrointestinal" text null,
  "genitourinary" text null,
  "musculoskeletal" text null,
  "skin_ros" text null,
  "neurological_ros" text null,
  "psychiatric" text null,
  "endocrine" text null,
  "hematologic_lymphatic" text null,
  "allergic_immunologic" text null,
  "blood_pressure" text null,
  "heart_rate" text null,
  "respiratory_rate" text null,
  "temperature" text null,
  "height" text null,
  "weight" text null,
  "bmi" text null,
  "o2_saturation" text null,
  "general_appearance" text null,
  "heent_physical_examination" text null,
  "neck" text null,
  "cardiovascular_physical_examination" text null,
  "lungs" text null,
  "abdomen" text null,
  "extremities" text null,
  "neurological_physical_examination" text null,
  "skin_physical_examination" text null,
  "clinical_assessment_diagnoses" text null,
  "diagnostic_plan" text null,
  "therapeutic_plan" text null,
  "medication_name" text null,
  "dosage" text null,
  "duration" text null,
  "special_instructions" text null,
  "referrals" text null,
  "follow_up_plan" text null,
  "lab_results" text null,
  "imaging_results" text null,
  "referral_reports" text null,
  "consultation_reports" text null,
  "cpt_procedure_code" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "patient_health_records_idx_patient" on "patient_health_records" ("patient_id");
create index "patient_health_records_idx_doctor" on "patient_health_records" ("doctor_id");
create index "patient_health_records_idx_visit" on "patient_health_records" ("visit_id");

create table "patient_inherited_diseases" (
  "id" bigserial not null primary key,
  "patient_id" uuid not null,
  "inherited_disease_id" bigint not null,
  "relative" varchar(255) check ("relative" in ('MOTHER', 'FATHER', 'SISTER', 'BROTHER', 'MATERNAL_GRANDMOTHER', 'MATERNAL_GRANDFATHER', 'PATERNAL_GRANDMOTHER', 'PATERNAL_GRANDFATHER', 'DAUGHTER', 'SON', 'AUNT', 'UNCLE', 'COUSIN')) not null,
  "age_of_onset" integer not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "patient_inherited_diseases_idx_patient_inherit" on "patient_inherited_diseases" ("patient_id");
create index "patient_inherited_diseases_idx_inherit" on "patient_inherited_diseases" ("inherited_disease_id");
create index "patient_inherited_diseases_idx_relative" on "patient_inherited_diseases" ("relative");

create table "patients" (
  "patient_id" uuid not null,
  "first_name" varchar(255) null,
  "last_name" varchar(255) null,
  "father_name" varchar(255) null,
  "mother_name" varchar(255) null,
  "phone_number" varchar(255) null,
  "gender" varchar(255) check ("gender" in ('MALE', 'FEMALE')) null,
  "date_of_birth" timestamp(0) without time zone null,
  "avatar_file_url" text null,
  "contact_info" varchar(255) null,
  "medical_number" varchar(255) null default '0',
  "marital_status" varchar(255) check ("marital_status" in ('SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED')) null,
  "nationality" varchar(255) check ("nationality" in ('SYRIAN', 'NON_SYRIAN')) null,
  "blood_type" varchar(255) check ("blood_type" in ('A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-')) null,
  "tobacco_use" varchar(255) check ("tobacco_use" in ('NEVER_USE', 'FORMER', 'CURRENT_SMOKER')) null,
  "illicit_drug_use" varchar(255) check ("illicit_drug_use" in ('CURRENTLY', 'SOMETIMES', 'PREVIOUSLY', 'NEVER_USE')) null,
  "alcohol_use" varchar(255) check ("alcohol_use" in ('NEVER', 'OCCASIONAL', 'MODERATE', 'HEAVY')) null,
  "living_situation" varchar(255) check ("living_situation" in ('LIVES_ALONE', 'LIVES_WITH_FAMILY', 'ASSISTED_LIVING', 'NURSING_HOME', 'OTHER')) null,
  "national_id" varchar(255) null,
  "country_id" bigint null,
  "governorate_id" bigint null,
  "easy_appointment_customer_id" integer null,
  "years_of_smoking" integer null,
  "smoking_start_year" integer null,
  "cigarettes_per_day" integer null,
  "average_packs_per_day" decimal(15,2) null,
  "occupation" text null,
  "qr_code" text null,
  "relation_patient_id" uuid null,
  "relation_ship_type" varchar(255) check ("relation_ship_type" in ('SON', 'DAUGHTER', 'PARTNER', 'FATHER', 'MOTHER', 'HUSBAND_SON', 'HUSBAND_DAUGHTER', 'WIFE_SON', 'WIFE_DAUGHTER')) null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null,
  "deleted_at" timestamp(0) without time zone null,
  primary key ("patient_id")
);

create index "patients_idx_pat_type" on "patients" ("marital_status");
create index "patients_idx_nation" on "patients" ("nationality");
create index "patients_idx_blood" on "patients" ("blood_type");
create index "patients_idx_country" on "patients" ("country_id");
create index "patients_idx_governorate" on "patients" ("governorate_id");
create index "patients_idx_relation_patient" on "patients" ("relation_patient_id");
create index "patients_idx_relation_ship" on "patients" ("relation_ship_type");
create index "patients_idx_alcohol" on "patients" ("alcohol_use");
create index "patients_idx_living" on "patients" ("living_situation");
create index "patients_idx_tobacco" on "patients" ("tobacco_use");
create index "patients_idx_illicit" on "patients" ("illicit_drug_use");
create index "patients_idx_gender" on "patients" ("gender");
create index "patients_idx_ft_national" on "patients" using gin ((to_tsvector('english', "national_id")));
create index "patients_idx_medical" on "patients" using gin ((to_tsvector('english', "medical_number")));
create index "patients_idx_ft_first" on "patients" using gin ((to_tsvector('english', "first_name")));
create index "patients_idx_ft_last" on "patients" using gin ((to_tsvector('english', "last_name")));
create index "patients_idx_ft_father" on "patients" using gin ((to_tsvector('english', "father_name")));
create index "patients_idx_ft_mother" on "patients" using gin ((to_tsvector('english', "mother_name")));
create index "patients_idx_ft_phone" on "patients" using gin ((to_tsvector('english', "phone_number")));

create table "permissions" (
  "id" bigserial not null primary key,
  "name" varchar(255) not null,
  "guard_name" varchar(255) not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "permissions_ft_name" on "permissions" using gin ((to_tsvector('english', "name")));

create table "role_has_permissions" (
  "permission_id" bigint not null,
  "role_id" bigint not null,
  primary key ("permission_id", "role_id")
);

create index "role_has_permissions_role_id_foreign" on "role_has_permissions" ("role_id");

create table "roles" (
  "id" bigserial not null primary key,
  "name" varchar(125) not null,
  "guard_name" varchar(125) not null,
  "code" varchar(32) not null,
  "standard" smallint not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "roles_ft_name_role" on "roles" using gin ((to_tsvector('english', "name")));

create table "secretaries" (
  "id" bigserial not null primary key,
  "user_id" bigint not null,
  "medical_center_id" bigint not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "secretaries_user_id_foreign" on "secretaries" ("user_id");
create index "secretaries_idx_medi_cent" on "secretaries" ("medical_center_id");

create table "sessions" (
  "id" varchar(255) not null,
  "user_id" bigint null,
  "ip_address" varchar(45) null,
  "user_agent" text null,
  "payload" text not null,
  "last_activity" integer not null,
  primary key ("id")
);

create index "sessions_user_id_index" on "sessions" ("user_id");
create index "sessions_last_activity_index" on "sessions" ("last_activity");

create table "symptoms" (
  "id" bigserial not null primary key,
  "title" text not null,
  "description" text null,
  "icd_code" text null,
  "image_file_url" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "symptoms_idx_title" on "symptoms" using gin ((to_tsvector('english', "title")));

create table "users" (
  "id" bigserial not null primary key,
  "first_name" varchar(255) null,
  "last_name" varchar(255) null,
  "father_name" varchar(255) null,
  "mother_name" varchar(255) null,
  "email" varchar(255) null,
  "password" varchar(255) null,
  "phone_number" varchar(255) null,
  "gender" varchar(255) check ("gender" in ('MALE', 'FEMALE')) null,
  "date_of_birth" timestamp(0) without time zone null,
  "avatar_file_url" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null,
  "type" varchar(255) check ("type" in ('SUPER_ADMIN', 'DOCTOR', 'PATIENT', 'NURSE', 'SECRETARY')) null,
  "deleted_at" timestamp(0) without time zone null
);

create index "users_idx_gender" on "users" ("gender");
create index "users_idx_type" on "users" ("type");
create index "users_ft_idx_full_fir" on "users" using gin ((to_tsvector('english', "first_name")));
create index "users_ft_idx_full_la" on "users" using gin ((to_tsvector('english', "last_name")));
create index "users_idx_ft_phone" on "users" using gin ((to_tsvector('english', "phone_number")));

create table "vaccine_patients" (
  "id" bigserial not null primary key,
  "vaccine_id" bigint not null,
  "patient_id" uuid not null,
  "vaccination_age" integer not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "vaccine_patients_idx_vaccine" on "vaccine_patients" ("vaccine_id");
create index "vaccine_patients_idx_patient" on "vaccine_patients" ("patient_id");

create table "vaccines" (
  "id" bigserial not null primary key,
  "name" varchar(255) not null,
  "code" text null,
  "description" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "vaccines_idx_name" on "vaccines" using gin ((to_tsvector('english', "name")));

create table "verification_codes" (
  "id" bigserial not null primary key,
  "patient_id" uuid null,
  "phone_number" varchar(255) null,
  "email" varchar(255) null,
  "otp_code" varchar(255) not null,
  "expire_at" timestamp(0) without time zone not null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "verification_codes_patient_id_foreign" on "verification_codes" ("patient_id");

create table "visit_diagnose_attachments" (
  "id" bigserial not null primary key,
  "medical_case_id" bigint null,
  "visit_diagnostic_test_id" bigint not null,
  "title" varchar(255) not null,
  "file_path_url" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "visit_diagnose_attachments_idx_vi_case" on "visit_diagnose_attachments" ("medical_case_id");
create index "visit_diagnose_attachments_idx_vi_diagnose" on "visit_diagnose_attachments" ("visit_diagnostic_test_id");

create table "visit_diagnostic_tests" (
  "id" bigserial not null primary key,
  "visit_id" bigint not null,
  "indication" text null,
  "notes" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null,
  "diagnostic_test_id" bigint null
);

create index "visit_diagnostic_tests_idx_visit" on "visit_diagnostic_tests" ("visit_id");
create index "visit_diagnostic_tests_idx_dia_test" on "visit_diagnostic_tests" ("diagnostic_test_id");

create table "visit_prescribed_medications" (
  "id" bigserial not null primary key,
  "visit_id" bigint not null,
  "medicine_id" bigint not null,
  "medicine_form_id" bigint not null,
  "medicine_frequency" varchar(255) null,
  "dose" text null,
  "indication" text null,
  "notes" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "visit_prescribed_medications_idx_visit" on "visit_prescribed_medications" ("visit_id");
create index "visit_prescribed_medications_idx_medicine" on "visit_prescribed_medications" ("medicine_id");
create index "visit_prescribed_medications_idx_medicine_form" on "visit_prescribed_medications" ("medicine_form_id");

create table "visits" (
  "id" bigserial not null primary key,
  "medical_case_id" bigint null,
  "patient_id" uuid not null,
  "relation_patient_id" uuid null,
  "clinic_id" bigint not null,
  "doctor_id" bigint null,
  "medical_center_id" bigint not null,
  "reason" text null,
  "visit_source" varchar(255) check ("visit_source" in ('VISIT', 'APPOINTMENT')) not null default 'VISIT',
  "visit_type" varchar(255) check ("visit_type" in ('OUT_PATIENT_FOLLOW_UP', 'IN_PATIENT_FOLLOW_UP')) null,
  "status" varchar(255) check ("status" in ('WAIT_LIST', 'IN_PROGRESS', 'DONE', 'TRANSFERRED', 'CALLED', 'CANCELLED')) not null,
  "notes" text null,
  "visit_date" timestamp(0) without time zone null,
  "patient_visit_started_at" timestamp(0) without time zone null,
  "patient_visit_ended_at" timestamp(0) without time zone null,
  "queue_number" integer null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "visits_idx_patient" on "visits" ("patient_id");
create index "visits_idx_relation_patient" on "visits" ("relation_patient_id");
create index "visits_idx_clinic" on "visits" ("clinic_id");
create index "visits_idx_doctor" on "visits" ("doctor_id");
create index "visits_idx_medical_center" on "visits" ("medical_center_id");
create index "visits_idx_visit_source" on "visits" ("visit_source");
create index "visits_idx_status" on "visits" ("status");
create index "visits_idx_medical_case_id" on "visits" ("medical_case_id");
create index "visits_idx_visit_type" on "visits" ("visit_type");

create table "visual_setting_translations" (
  "id" bigserial not null primary key,
  "visual_setting_id" bigint not null,
  "locale" varchar(255) not null,
  "title" varchar(255) not null,
  "description" text null
);

create index "visual_setting_translations_locale_index" on "visual_setting_translations" ("locale");

create table "visual_settings" (
  "id" bigserial not null primary key,
  "setting_key" varchar(100) not null,
  "image_file_url" text null,
  "link" text null,
  "created_at" timestamp(0) without time zone null,
  "updated_at" timestamp(0) without time zone null
);

create index "visual_settings_idx_ft_visual_setting_key" on "visual_settings" using gin ((to_tsvector('english', "setting_key")));

alter table "failed_jobs" add constraint "failed_jobs_uuid_unique" unique ("uuid");
alter table "icd_entity_translations" add constraint "icd_entity_translations_icd_entity_id_locale_unique" unique ("icd_entity_id", "locale");
alter table "multi_type_settings" add constraint "multi_type_settings_idx_unique_setting_key" unique ("setting_key");
alter table "patients" add constraint "patients_idx_unique_national" unique ("national_id");
alter table "permissions" add constraint "permissions_name_guard_name_unique" unique ("name", "guard_name");
alter table "roles" add constraint "roles_name_guard_name_unique" unique ("name", "guard_name");
alter table "roles" add constraint "roles_idx_name" unique ("name");
alter table "roles" add constraint "roles_idx_unique_identifier" unique ("code");
alter table "visual_setting_translations" add constraint "visual_setting_translations_visual_setting_id_locale_unique" unique ("visual_setting_id", "locale");
alter table "visual_settings" add constraint "visual_settings_idx_unique_visual_setting_key" unique ("setting_key");

alter table "appointments" add constraint "appointments_clinic_id_foreign" foreign key ("clinic_id") references "clinics" ("id") on delete cascade on update cascade;
alter table "appointments" add constraint "appointments_created_by_user_id_foreign" foreign key ("created_by_user_id") references "users" ("id") on delete cascade on update cascade;
alter table "appointments" add constraint "appointments_doctor_id_foreign" foreign key ("doctor_id") references "doctors" ("id") on delete cascade on update cascade;
alter table "appointments" add constraint "appointments_medical_center_id_foreign" foreign key ("medical_center_id") references "medical_centers" ("id") on delete cascade on update cascade;
alter table "appointments" add constraint "appointments_patient_id_foreign" foreign key ("patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "appointments" add constraint "appointments_relation_patient_id_foreign" foreign key ("relation_patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "associated_symptom_cases" add constraint "associated_symptom_cases_medical_case_id_foreign" foreign key ("medical_case_id") references "medical_cases" ("id") on delete cascade on update cascade;
alter table "associated_symptom_cases" add constraint "associated_symptom_cases_symptom_id_foreign" foreign key ("symptom_id") references "symptoms" ("id") on delete cascade on update cascade;
alter table "clinic_medical_specialties" add constraint "clinic_medical_specialties_clinic_id_foreign" foreign key ("clinic_id") references "clinics" ("id") on delete cascade on update cascade;
alter table "clinic_medical_specialties" add constraint "clinic_medical_specialties_medical_specialty_id_foreign" foreign key ("medical_specialty_id") references "medical_specialties" ("id") on delete cascade on update cascade;
alter table "clinic_nurses" add constraint "clinic_nurses_clinic_id_foreign" foreign key ("clinic_id") references "clinics" ("id") on delete cascade on update cascade;
alter table "clinic_nurses" add constraint "clinic_nurses_nurse_id_foreign" foreign key ("nurse_id") references "nurses" ("id") on delete cascade on update cascade;
alter table "clinics" add constraint "clinics_medical_center_id_foreign" foreign key ("medical_center_id") references "medical_centers" ("id") on delete cascade on update cascade;
alter table "current_medical_case_medicines" add constraint "current_medical_case_medicines_medical_case_id_foreign" foreign key ("medical_case_id") references "medical_cases" ("id") on delete cascade on update cascade;
alter table "current_medical_case_medicines" add constraint "current_medical_case_medicines_medicine_form_id_foreign" foreign key ("medicine_form_id") references "medicine_forms" ("id") on delete cascade on update cascade;
alter table "current_medical_case_medicines" add constraint "current_medical_case_medicines_medicine_id_foreign" foreign key ("medicine_id") references "medicines" ("id") on delete cascade on update cascade;
alter table "doctor_clinics" add constraint "doctor_clinics_clinic_id_foreign" foreign key ("clinic_id") references "clinics" ("id") on delete cascade on update cascade;
alter table "doctor_clinics" add constraint "doctor_clinics_doctor_id_foreign" foreign key ("doctor_id") references "doctors" ("id") on delete cascade on update cascade;
alter table "doctors" add constraint "doctors_medical_center_id_foreign" foreign key ("medical_center_id") references "medical_centers" ("id") on delete cascade on update cascade;
alter table "doctors" add constraint "doctors_medical_specialty_id_foreign" foreign key ("medical_specialty_id") references "medical_specialties" ("id") on delete cascade on update cascade;
alter table "doctors" add constraint "doctors_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade on update cascade;
alter table "governorates" add constraint "governorates_country_id_foreign" foreign key ("country_id") references "countries" ("id") on delete cascade on update cascade;
alter table "icd_entity_translations" add constraint "icd_entity_translations_icd_entity_id_foreign" foreign key ("icd_entity_id") references "icd_entities" ("id") on delete cascade on update cascade;
alter table "icd_groups" add constraint "icd_groups_icd_entity_id_foreign" foreign key ("icd_entity_id") references "icd_entities" ("id") on delete cascade on update cascade;
alter table "medical_case_attachments" add constraint "medical_case_attachments_medical_case_id_foreign" foreign key ("medical_case_id") references "medical_cases" ("id") on delete cascade on update cascade;
alter table "medical_case_diagnoses" add constraint "medical_case_diagnoses_icd_entity_id_foreign" foreign key ("icd_entity_id") references "icd_entities" ("id") on delete cascade on update cascade;
alter table "medical_case_diagnoses" add constraint "medical_case_diagnoses_medical_case_id_foreign" foreign key ("medical_case_id") references "medical_cases" ("id") on delete cascade on update cascade;
alter table "medical_cases" add constraint "medical_cases_doctor_id_foreign" foreign key ("doctor_id") references "doctors" ("id") on delete cascade on update cascade;
alter table "medical_cases" add constraint "medical_cases_medical_center_id_foreign" foreign key ("medical_center_id") references "medical_centers" ("id") on delete cascade on update cascade;
alter table "medical_cases" add constraint "medical_cases_patient_id_foreign" foreign key ("patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "medical_center_diagnostic_tests" add constraint "medical_center_diagnostic_tests_diagnostic_test_id_foreign" foreign key ("diagnostic_test_id") references "diagnostic_tests" ("id") on delete cascade on update cascade;
alter table "medical_center_diagnostic_tests" add constraint "medical_center_diagnostic_tests_medical_center_id_foreign" foreign key ("medical_center_id") references "medical_centers" ("id") on delete cascade on update cascade;
alter table "medical_centers" add constraint "medical_centers_governorate_id_foreign" foreign key ("governorate_id") references "governorates" ("id") on delete cascade;
alter table "medicines" add constraint "medicines_medicine_brand_id_foreign" foreign key ("medicine_brand_id") references "medicine_brands" ("id") on delete cascade on update cascade;
alter table "medicines" add constraint "medicines_medicine_form_id_foreign" foreign key ("medicine_form_id") references "medicine_forms" ("id") on delete cascade on update cascade;
alter table "model_has_permissions" add constraint "model_has_permissions_permission_id_foreign" foreign key ("permission_id") references "permissions" ("id") on delete cascade;
alter table "model_has_roles" add constraint "model_has_roles_role_id_foreign" foreign key ("role_id") references "roles" ("id") on delete cascade;
alter table "nurses" add constraint "nurses_medical_center_id_foreign" foreign key ("medical_center_id") references "medical_centers" ("id") on delete cascade on update cascade;
alter table "nurses" add constraint "nurses_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade on update cascade;
alter table "patient_allergies" add constraint "patient_allergies_allergy_id_foreign" foreign key ("allergy_id") references "allergies" ("id") on delete cascade on update cascade;
alter table "patient_allergies" add constraint "patient_allergies_patient_id_foreign" foreign key ("patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "patient_health_record_icd_entities" add constraint "health_record" foreign key ("patient_health_record_id") references "patient_health_records" ("id") on delete cascade on update cascade;
alter table "patient_health_record_icd_entities" add constraint "patient_health_record_icd_entities_icd_entity_id_foreign" foreign key ("icd_entity_id") references "icd_entities" ("id") on delete cascade on update cascade;
alter table "patient_health_records" add constraint "patient_health_records_doctor_id_foreign" foreign key ("doctor_id") references "doctors" ("id") on delete cascade on update cascade;
alter table "patient_health_records" add constraint "patient_health_records_patient_id_foreign" foreign key ("patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "patient_health_records" add constraint "patient_health_records_visit_id_foreign" foreign key ("visit_id") references "visits" ("id") on delete cascade on update cascade;
alter table "patient_inherited_diseases" add constraint "patient_inherited_diseases_inherited_disease_id_foreign" foreign key ("inherited_disease_id") references "inherited_diseases" ("id") on delete cascade on update cascade;
alter table "patient_inherited_diseases" add constraint "patient_inherited_diseases_patient_id_foreign" foreign key ("patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "patients" add constraint "patients_country_id_foreign" foreign key ("country_id") references "countries" ("id") on delete cascade on update cascade;
alter table "patients" add constraint "patients_governorate_id_foreign" foreign key ("governorate_id") references "governorates" ("id") on delete cascade on update cascade;
alter table "patients" add constraint "patients_relation_patient_id_foreign" foreign key ("relation_patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "role_has_permissions" add constraint "role_has_permissions_permission_id_foreign" foreign key ("permission_id") references "permissions" ("id") on delete cascade;
alter table "role_has_permissions" add constraint "role_has_permissions_role_id_foreign" foreign key ("role_id") references "roles" ("id") on delete cascade;
alter table "secretaries" add constraint "secretaries_medical_center_id_foreign" foreign key ("medical_center_id") references "medical_centers" ("id") on delete cascade on update cascade;
alter table "secretaries" add constraint "secretaries_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade on update cascade;
alter table "vaccine_patients" add constraint "vaccine_patients_patient_id_foreign" foreign key ("patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "vaccine_patients" add constraint "vaccine_patients_vaccine_id_foreign" foreign key ("vaccine_id") references "vaccines" ("id") on delete cascade on update cascade;
alter table "verification_codes" add constraint "verification_codes_patient_id_foreign" foreign key ("patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "visit_diagnose_attachments" add constraint "visit_diagnose_attachments_medical_case_id_foreign" foreign key ("medical_case_id") references "medical_cases" ("id") on delete cascade on update cascade;
alter table "visit_diagnose_attachments" add constraint "visit_diagnose_attachments_visit_diagnostic_test_id_foreign" foreign key ("visit_diagnostic_test_id") references "visit_diagnostic_tests" ("id") on delete cascade on update cascade;
alter table "visit_diagnostic_tests" add constraint "visit_diagnostic_tests_diagnostic_test_id_foreign" foreign key ("diagnostic_test_id") references "diagnostic_tests" ("id") on delete cascade on update cascade;
alter table "visit_diagnostic_tests" add constraint "visit_diagnostic_tests_visit_id_foreign" foreign key ("visit_id") references "visits" ("id") on delete cascade on update cascade;
alter table "visit_prescribed_medications" add constraint "visit_prescribed_medications_medicine_form_id_foreign" foreign key ("medicine_form_id") references "medicine_forms" ("id") on delete cascade on update cascade;
alter table "visit_prescribed_medications" add constraint "visit_prescribed_medications_medicine_id_foreign" foreign key ("medicine_id") references "medicines" ("id") on delete cascade on update cascade;
alter table "visit_prescribed_medications" add constraint "visit_prescribed_medications_visit_id_foreign" foreign key ("visit_id") references "visits" ("id") on delete cascade on update cascade;
alter table "visits" add constraint "visits_clinic_id_foreign" foreign key ("clinic_id") references "clinics" ("id") on delete cascade on update cascade;
alter table "visits" add constraint "visits_doctor_id_foreign" foreign key ("doctor_id") references "doctors" ("id") on delete cascade on update cascade;
alter table "visits" add constraint "visits_medical_case_id_foreign" foreign key ("medical_case_id") references "medical_cases" ("id") on delete cascade on update cascade;
alter table "visits" add constraint "visits_medical_center_id_foreign" foreign key ("medical_center_id") references "medical_centers" ("id") on delete cascade on update cascade;
alter table "visits" add constraint "visits_patient_id_foreign" foreign key ("patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "visits" add constraint "visits_relation_patient_id_foreign" foreign key ("relation_patient_id") references "patients" ("patient_id") on delete cascade on update cascade;
alter table "visual_setting_translations" add constraint "visual_setting_translations_visual_setting_id_foreign" foreign key ("visual_setting_id") references "visual_settings" ("id") on delete cascade;
