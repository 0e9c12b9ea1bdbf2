-- moh-migrate fixture: the v1 (old_moh) schema, 63 tables.
-- Written for this project from the customer's schema facts (see README, 'Schemas').
-- Load into an empty database; the tests, `make demo` and the synthetic data generator do.

CREATE TABLE `allergies` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `title` text NOT NULL,
  `description` longtext,
  `icd_code` text,
  `image_file_url` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  FULLTEXT KEY `idx_ft_title` (`title`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `appointments` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `created_by_user_id` bigint unsigned DEFAULT NULL,
  `patient_id` bigint unsigned NOT NULL,
  `doctor_id` bigint unsigned NOT NULL,
  `clinic_id` bigint unsigned NOT NULL,
  `medical_center_id` bigint unsigned NOT NULL,
  `relation_patient_id` bigint unsigned DEFAULT NULL,
  `status` enum('BOOKED','COMPLETED','DID_NOT_COME','CANCELLED') NOT NULL DEFAULT 'BOOKED',
  `booking_date_time` datetime NOT NULL,
  `easy_appointment_booking_id` int DEFAULT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_patient` (`patient_id`),
  KEY `idx_doctor` (`doctor_id`),
  KEY `idx_clinic` (`clinic_id`),
  KEY `idx_medical_center` (`medical_center_id`),
  KEY `idx_relation_patient` (`relation_patient_id`),
  KEY `idx_status` (`status`),
  KEY `idx_create_user` (`created_by_user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `associated_symptom_cases` (
  `symptom_id` bigint unsigned NOT NULL,
  `medical_case_id` bigint unsigned NOT NULL,
  KEY `idx_symptom` (`symptom_id`),
  KEY `idx_case` (`medical_case_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `cache` (
  `key` varchar(255) NOT NULL,
  `value` mediumtext NOT NULL,
  `expiration` int NOT NULL,
  PRIMARY KEY (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `cache_locks` (
  `key` varchar(255) NOT NULL,
  `owner` varchar(255) NOT NULL,
  `expiration` int NOT NULL,
  PRIMARY KEY (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `clinic_medical_specialties` (
  `clinic_id` bigint unsigned NOT NULL,
  `medical_specialty_id` bigint unsigned NOT NULL,
  KEY `idx_clinic` (`clinic_id`),
  KEY `idx_medical_specialty` (`medical_specialty_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `clinic_nurses` (
  `clinic_id` bigint unsigned NOT NULL,
  `nurse_id` bigint unsigned NOT NULL,
  KEY `idx_clinic` (`clinic_id`),
  KEY `idx_nurse` (`nurse_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `clinics` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `publish` tinyint(1) NOT NULL DEFAULT '0',
  `name` varchar(255) NOT NULL,
  `medical_center_id` bigint unsigned NOT NULL,
  `working_hours` longtext,
  `working_time` json DEFAULT NULL,
  `easy_appointment_service_id` int DEFAULT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_publish` (`publish`),
  KEY `idx_medical_center` (`medical_center_id`),
  FULLTEXT KEY `idx_name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `countries` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `publish` tinyint(1) NOT NULL DEFAULT '0',
  `name` varchar(255) NOT NULL,
  `iso2` varchar(255) NOT NULL,
  `iso3` varchar(255) DEFAULT NULL,
  `phone_number_code` varchar(255) NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_publish` (`publish`),
  KEY `idx_iso2` (`iso2`),
  KEY `idx_phone_code` (`phone_number_code`),
  FULLTEXT KEY `idx_name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `current_medical_case_medicines` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `medical_case_id` bigint unsigned NOT NULL,
  `medicine_id` bigint unsigned NOT NULL,
  `medicine_form_id` bigint unsigned NOT NULL,
  `medicine_frequency` varchar(255) DEFAULT NULL,
  `dose` text,
  `indication` text,
  `notes` longtext,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_medical_case` (`medical_case_id`),
  KEY `idx_medicine` (`medicine_id`),
  KEY `idc_form` (`medicine_form_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `diagnostic_tests` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `title` varchar(255) NOT NULL,
  `description` longtext,
  `image_file_url` longtext,
  `type` enum('BLOOD_TEST','TEST') NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_type` (`type`),
  FULLTEXT KEY `idx_title` (`title`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `doctor_clinics` (
  `doctor_id` bigint unsigned NOT NULL,
  `clinic_id` bigint unsigned NOT NULL,
  KEY `doctor_clinics_doctor_id_foreign` (`doctor_id`),
  KEY `doctor_clinics_clinic_id_foreign` (`clinic_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `doctors` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint unsigned NOT NULL,
  `medical_specialty_id` bigint unsigned NOT NULL,
  `medical_center_id` bigint unsigned NOT NULL,
  `working_time` json DEFAULT NULL,
  `working_time_exception` json DEFAULT NULL,
  `easy_appointment_provider_id` int DEFAULT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `doctors_user_id_foreign` (`user_id`),
  KEY `idx_med_spec` (`medical_specialty_id`),
  KEY `idx_med_cen` (`medical_center_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `failed_jobs` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `uuid` varchar(255) NOT NULL,
  `connection` text NOT NULL,
  `queue` text NOT NULL,
  `payload` longtext NOT NULL,
  `exception` longtext NOT NULL,
  `failed_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `failed_jobs_uuid_unique` (`uuid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `governorates` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `publish` tinyint(1) NOT NULL DEFAULT '0',
  `name` varchar(255) NOT NULL,
  `description` longtext,
  `image_file_url` text,
  `country_id` bigint unsigned NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `governorates_country_id_index` (`country_id`),
  FULLTEXT KEY `idx_gover_name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `icd_entities` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `foundation_uri` text,
  `linearization_uri` text,
  `code` varchar(255) DEFAULT NULL,
  `block_id` varchar(255) DEFAULT NULL,
  `class_kind` enum('CHAPTER','BLOCK','CATEGORY') DEFAULT NULL,
  `depth_in_kind` int DEFAULT NULL,
  `is_residual` tinyint(1) DEFAULT NULL,
  `chapter_no` varchar(255) DEFAULT NULL,
  `browser_link` text,
  `is_leaf` tinyint(1) DEFAULT NULL,
  `primary_tabulation` tinyint(1) DEFAULT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_class` (`class_kind`),
  FULLTEXT KEY `idx_code` (`code`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `icd_entity_translations` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `icd_entity_id` bigint unsigned NOT NULL,
  `title` varchar(255) NOT NULL,
  `locale` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `icd_entity_translations_icd_entity_id_locale_unique` (`icd_entity_id`,`locale`),
  KEY `icd_entity_translations_locale_index` (`locale`),
  FULLTEXT KEY `idx_title` (`title`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `icd_groups` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `icd_entity_id` bigint unsigned NOT NULL,
  `grouping` varchar(255) NOT NULL,
  `level` int NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_icd_entity` (`icd_entity_id`),
  FULLTEXT KEY `idx_grouping` (`grouping`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `inherited_diseases` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `title` text NOT NULL,
  `description` longtext,
  `icd_code` text,
  `image_file_url` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  FULLTEXT KEY `idx_ft_title` (`title`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `job_batches` (
  `id` varchar(255) NOT NULL,
  `name` varchar(255) NOT NULL,
  `total_jobs` int NOT NULL,
  `pending_jobs` int NOT NULL,
  `failed_jobs` int NOT NULL,
  `failed_job_ids` longtext NOT NULL,
  `options` mediumtext,
  `cancelled_at` int DEFAULT NULL,
  `created_at` int NOT NULL,
  `finished_at` int DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `jobs` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `queue` varchar(255) NOT NULL,
  `payload` longtext NOT NULL,
  `attempts` tinyint unsigned NOT NULL,
  `reserved_at` int unsigned DEFAULT NULL,
  `available_at` int unsigned NOT NULL,
  `created_at` int unsigned NOT NULL,
  PRIMARY KEY (`id`),
  KEY `jobs_queue_index` (`queue`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medical_case_attachments` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `medical_case_id` bigint unsigned NOT NULL,
  `title` varchar(255) NOT NULL,
  `file_path_url` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_medical_case` (`medical_case_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medical_case_diagnoses` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `medical_case_id` bigint unsigned NOT NULL,
  `icd_entity_id` bigint unsigned DEFAULT NULL,
  `status` enum('CONFIRMED','POSTOPERATIVE','UNCONFIRMED') NOT NULL,
  `type` enum('DEFINITIVE_DIAGNOSES','DIFFERENTIAL_DIAGNOSES') DEFAULT 'DEFINITIVE_DIAGNOSES',
  `injury_side` enum('RIGHT','LEFT','MIDDLE','BOTH_SIDES') DEFAULT NULL,
  `diagnosis` longtext,
  `notes` longtext,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_medical_case` (`medical_case_id`),
  KEY `idx_icd_entity` (`icd_entity_id`),
  KEY `idx_status` (`status`),
  KEY `idx_injury_side` (`injury_side`),
  KEY `idx_type` (`type`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medical_cases` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `patient_id` bigint unsigned NOT NULL,
  `doctor_id` bigint unsigned NOT NULL,
  `medical_center_id` bigint unsigned NOT NULL,
  `chief_complaint` longtext,
  `status` enum('OPEN','CLOSED') NOT NULL DEFAULT 'OPEN',
  `triage_level` enum('EMERGENCY_RED','PRIORITY_YELLOW','NON_URGENT_GREEN') DEFAULT NULL,
  `onset` text,
  `duration` text,
  `location` text,
  `severity` enum('MID','MODERATE','SEVERE','LIFE_THREATENING') DEFAULT NULL,
  `character_quality` text,
  `aggravating_factors` text,
  `relieving_factors` text,
  `timing` text,
  `blood_pressure` text,
  `heart_rate` text,
  `temperature` text,
  `respiratory_rate` text,
  `o2_saturation` text,
  `weight` text,
  `height` text,
  `bmi` text,
  `general_appearance` text,
  `heent` text,
  `cardiovascular` text,
  `respiratory` text,
  `abdominal` text,
  `neurological` text,
  `musculoskeletal` text,
  `skin` text,
  `provocation` text,
  `quality` text,
  `region` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_patient` (`patient_id`),
  KEY `idx_doctor` (`doctor_id`),
  KEY `idx_medical_center` (`medical_center_id`),
  KEY `idx_triage` (`triage_level`),
  KEY `idx_status` (`status`),
  KEY `idx_severity` (`severity`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medical_center_diagnostic_tests` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `diagnostic_test_id` bigint unsigned NOT NULL,
  `medical_center_id` bigint unsigned NOT NULL,
  `status` enum('AVAILABLE','MAINTENANCE') NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_diagnostic_test` (`diagnostic_test_id`),
  KEY `idx_medical_center` (`medical_center_id`),
  KEY `idX_status` (`status`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medical_centers` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `publish` tinyint(1) NOT NULL DEFAULT '0',
  `governorate_id` bigint unsigned NOT NULL,
  `name` varchar(255) NOT NULL,
  `address` longtext NOT NULL,
  `longitude` varchar(255) DEFAULT NULL,
  `latitude` varchar(255) DEFAULT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_publish` (`publish`),
  KEY `idx_governorate_id` (`governorate_id`),
  FULLTEXT KEY `idx_name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medical_specialties` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `publish` tinyint(1) NOT NULL DEFAULT '0',
  `name_ar` varchar(255) NOT NULL,
  `name_en` varchar(255) DEFAULT NULL,
  `description` longtext,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_publish` (`publish`),
  FULLTEXT KEY `idx_name_ar` (`name_ar`),
  FULLTEXT KEY `idx_name_en` (`name_en`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medicine_brands` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `title` text NOT NULL,
  `description` longtext,
  `image_file_url` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  FULLTEXT KEY `idx_title` (`title`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medicine_forms` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `title` text NOT NULL,
  `image_file_url` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  FULLTEXT KEY `idx_title` (`title`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medicines` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `publish` tinyint(1) NOT NULL DEFAULT '0',
  `title` text NOT NULL,
  `medicine_brand_id` bigint unsigned DEFAULT NULL,
  `medicine_form_id` bigint unsigned NOT NULL,
  `composition` text NOT NULL,
  `dose` text NOT NULL,
  `package` text NOT NULL,
  `pharmacy_price` decimal(15,3) DEFAULT NULL,
  `retail_price` decimal(15,3) DEFAULT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_publish` (`publish`),
  KEY `idx_brand` (`medicine_brand_id`),
  KEY `idx_form` (`medicine_form_id`),
  FULLTEXT KEY `idx_title` (`title`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `medicines_frequencies` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `code` varchar(255) NOT NULL,
  `description` text NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  FULLTEXT KEY `idx_code` (`code`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `migrations` (
  `id` int unsigned NOT NULL AUTO_INCREMENT,
  `migration` varchar(255) NOT NULL,
  `batch` int NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `model_has_permissions` (
  `permission_id` bigint unsigned NOT NULL,
  `model_type` varchar(255) NOT NULL,
  `model_id` bigint unsigned NOT NULL,
  PRIMARY KEY (`permission_id`,`model_id`,`model_type`),
  KEY `model_has_permissions_model_id_model_type_index` (`model_id`,`model_type`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `model_has_roles` (
  `role_id` bigint unsigned NOT NULL,
  `model_type` varchar(255) NOT NULL,
  `model_id` bigint unsigned NOT NULL,
  PRIMARY KEY (`role_id`,`model_id`,`model_type`),
  KEY `model_has_roles_model_id_model_type_index` (`model_id`,`model_type`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `multi_type_settings` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `setting_key` varchar(100) NOT NULL,
  `value` longtext NOT NULL,
  `type` enum('EMAIL','LINK','NUMBER','PHONE_NUMBER','TEXT','BOOLEAN') NOT NULL,
  `description` longtext,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_unique_setting_key` (`setting_key`),
  KEY `idx_type` (`type`),
  FULLTEXT KEY `idx_ft_setting_key` (`setting_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `nurses` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint unsigned NOT NULL,
  `medical_center_id` bigint unsigned NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `nurses_user_id_foreign` (`user_id`),
  KEY `idx_medi_cent` (`medical_center_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `oauth_access_tokens` (
  `id` varchar(100) NOT NULL,
  `user_id` bigint unsigned DEFAULT NULL,
  `client_id` char(36) NOT NULL,
  `name` varchar(255) DEFAULT NULL,
  `scopes` text,
  `revoked` tinyint(1) NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  `expires_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `oauth_access_tokens_user_id_index` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `oauth_auth_codes` (
  `id` varchar(100) NOT NULL,
  `user_id` bigint unsigned NOT NULL,
  `client_id` char(36) NOT NULL,
  `scopes` text,
  `revoked` tinyint(1) NOT NULL,
  `expires_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `oauth_auth_codes_user_id_index` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `oauth_clients` (
  `id` char(36) NOT NULL,
  `user_id` bigint unsigned DEFAULT NULL,
  `name` varchar(255) NOT NULL,
  `secret` varchar(100) DEFAULT NULL,
  `provider` varchar(255) DEFAULT NULL,
  `redirect` text NOT NULL,
  `personal_access_client` tinyint(1) NOT NULL,
  `password_client` tinyint(1) NOT NULL,
  `revoked` tinyint(1) NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `oauth_clients_user_id_index` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `oauth_personal_access_clients` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `client_id` char(36) NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `oauth_refresh_tokens` (
  `id` varchar(100) NOT NULL,
  `access_token_id` varchar(100) NOT NULL,
  `revoked` tinyint(1) NOT NULL,
  `expires_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `oauth_refresh_tokens_access_token_id_index` (`access_token_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `password_reset_tokens` (
  `email` varchar(255) NOT NULL,
  `token` varchar(255) NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `patient_allergies` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `patient_id` bigint unsigned NOT NULL,
  `allergy_id` bigint unsigned NOT NULL,
  `severity` enum('MID','MODERATE','SEVERE','LIFE_THREATENING') NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_patient_allerg` (`patient_id`),
  KEY `idx_allergy` (`allergy_id`),
  KEY `idx_severity` (`severity`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `patient_health_record_icd_entities` (
  `patient_health_record_id` bigint unsigned NOT NULL,
  `icd_entity_id` bigint unsigned NOT NULL,
  KEY `idx_patient_health_record` (`patient_health_record_id`),
  KEY `idx_icd_entity` (`icd_entity_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `patient_health_records` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `patient_id` bigint unsigned NOT NULL,
  `doctor_id` bigint unsigned NOT NULL,
  `visit_id` bigint unsigned NOT NULL,
  `chronic_illnesses` longtext,
  `past_hospitalizations` longtext,
  `surgeries_procedures` longtext,
  `major_injuries_accidents` longtext,
  `psychiatric_history` longtext,
  `ob_gyn_history` longtext,
  `significant_family_medical_history` longtext,
  `active_medication_list` longtext,
  `known_allergies` longtext,
  `tobacco_use` longtext,
  `alcohol_use` longtext,
  `illicit_drug_use` longtext,
  `occupation` longtext,
  `living_situation` longtext,
  `exercise_habits` longtext,
  `diet` longtext,
  `primary_reason_visit` longtext,
  `detailed_narrative_problems` longtext,
  `constitutional` longtext,
  `heent_ros` longtext,
  `respiratory` longtext,
  `cardiovascular_ros` longtext,
  `gastrointestinal` longtext,
  `genitourinary` longtext,
  `musculoskeletal` longtext,
  `skin_ros` longtext,
  `neurological_ros` longtext,
  `psychiatric` longtext,
  `endocrine` longtext,
  `hematologic_lymphatic` longtext,
  `allergic_immunologic` longtext,
  `blood_pressure` longtext,
  `heart_rate` longtext,
  `respiratory_rate` longtext,
  `temperature` longtext,
  `height` longtext,
  `weight` longtext,
  `bmi` longtext,
  `o2_saturation` longtext,
  `general_appearance` longtext,
  `heent_physical_examination` longtext,
  `neck` longtext,
  `cardiovascular_physical_examination` longtext,
  `lungs` longtext,
  `abdomen` longtext,
  `extremities` longtext,
  `neurological_physical_examination` longtext,
  `skin_physical_examination` longtext,
  `clinical_assessment_diagnoses` longtext,
  `diagnostic_plan` longtext,
  `therapeutic_plan` longtext,
  `medication_name` longtext,
  `dosage` longtext,
  `duration` longtext,
  `special_instructions` longtext,
  `referrals` longtext,
  `follow_up_plan` longtext,
  `lab_results` longtext,
  `imaging_results` longtext,
  `referral_reports` longtext,
  `consultation_reports` longtext,
  `cpt_procedure_code` longtext,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_patient` (`patient_id`),
  KEY `idx_doctor` (`doctor_id`),
  KEY `idx_visit` (`visit_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `patient_inherited_diseases` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `patient_id` bigint unsigned NOT NULL,
  `inherited_disease_id` bigint unsigned NOT NULL,
  `relative` enum('MOTHER','FATHER','SISTER','BROTHER','MATERNAL_GRANDMOTHER','MATERNAL_GRANDFATHER','PATERNAL_GRANDMOTHER','PATERNAL_GRANDFATHER','DAUGHTER','SON','AUNT','UNCLE','COUSIN') NOT NULL,
  `age_of_onset` int NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_patient_inherit` (`patient_id`),
  KEY `idx_inherit` (`inherited_disease_id`),
  KEY `idx_relative` (`relative`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `patients` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint unsigned NOT NULL,
  `medical_number` varchar(255) DEFAULT '0',
  `marital_status` enum('SINGLE','MARRIED','DIVORCED','WIDOWED') DEFAULT NULL,
  `nationality` enum('SYRIAN','NON_SYRIAN') DEFAULT NULL,
  `blood_type` enum('A+','A-','B+','B-','AB+','AB-','O+','O-') DEFAULT NULL,
  `tobacco_use` enum('NEVER_USE','FORMER','CURRENT_SMOKER') DEFAULT NULL,
  `illicit_drug_use` enum('CURRENTLY','SOMETIMES','PREVIOUSLY','NEVER_USE') DEFAULT NULL,
  `alcohol_use` enum('NEVER','OCCASIONAL','MODERATE','HEAVY') DEFAULT NULL,
  `living_situation` enum('LIVES_ALONE','LIVES_WITH_FAMILY','ASSISTED_LIVING','NURSING_HOME','OTHER') DEFAULT NULL,
  `national_number` varchar(255) DEFAULT NULL,
  `country_id` bigint unsigned DEFAULT NULL,
  `governorate_id` bigint unsigned DEFAULT NULL,
  `easy_appointment_customer_id` int DEFAULT NULL,
  `years_of_smoking` int DEFAULT NULL,
  `smoking_start_year` int DEFAULT NULL,
  `cigarettes_per_day` int DEFAULT NULL,
  `average_packs_per_day` decimal(15,2) DEFAULT NULL,
  `address` text,
  `occupation` text,
  `qr_code` longtext,
  `relation_patient_id` bigint unsigned DEFAULT NULL,
  `relation_ship_type` enum('SON','DAUGHTER','PARTNER','FATHER','MOTHER','HUSBAND_SON','HUSBAND_DAUGHTER','WIFE_SON','WIFE_DAUGHTER') DEFAULT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_unique_national` (`national_number`),
  KEY `patients_user_id_foreign` (`user_id`),
  KEY `idx_pat_type` (`marital_status`),
  KEY `idx_nation` (`nationality`),
  KEY `idx_blood` (`blood_type`),
  KEY `idx_country` (`country_id`),
  KEY `idx_governorate` (`governorate_id`),
  KEY `idx_relation_patient` (`relation_patient_id`),
  KEY `idx_relation_ship` (`relation_ship_type`),
  KEY `idx_alcohol` (`alcohol_use`),
  KEY `idx_living` (`living_situation`),
  KEY `idx_tobacco` (`tobacco_use`),
  KEY `idx_illicit` (`illicit_drug_use`),
  FULLTEXT KEY `idx_ft_national` (`national_number`),
  FULLTEXT KEY `idx_medical` (`medical_number`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `permissions` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `guard_name` varchar(255) NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `permissions_name_guard_name_unique` (`name`,`guard_name`),
  FULLTEXT KEY `ft_name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `role_has_permissions` (
  `permission_id` bigint unsigned NOT NULL,
  `role_id` bigint unsigned NOT NULL,
  PRIMARY KEY (`permission_id`,`role_id`),
  KEY `role_has_permissions_role_id_foreign` (`role_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `roles` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(125) NOT NULL,
  `guard_name` varchar(125) NOT NULL,
  `code` varchar(32) NOT NULL,
  `standard` tinyint NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `roles_name_guard_name_unique` (`name`,`guard_name`),
  UNIQUE KEY `idx_name` (`name`),
  UNIQUE KEY `idx_unique_identifier` (`code`),
  FULLTEXT KEY `ft_name_role` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `secretaries` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint unsigned NOT NULL,
  `medical_center_id` bigint unsigned NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `secretaries_user_id_foreign` (`user_id`),
  KEY `idx_medi_cent` (`medical_center_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `sessions` (
  `id` varchar(255) NOT NULL,
  `user_id` bigint unsigned DEFAULT NULL,
  `ip_address` varchar(45) DEFAULT NULL,
  `user_agent` text,
  `payload` longtext NOT NULL,
  `last_activity` int NOT NULL,
  PRIMARY KEY (`id`),
  KEY `sessions_user_id_index` (`user_id`),
  KEY `sessions_last_activity_index` (`last_activity`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `symptoms` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `title` text NOT NULL,
  `description` longtext,
  `icd_code` text,
  `image_file_url` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  FULLTEXT KEY `idx_title` (`title`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `users` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `first_name` varchar(255) DEFAULT NULL,
  `last_name` varchar(255) DEFAULT NULL,
  `father_name` varchar(255) DEFAULT NULL,
  `mother_name` varchar(255) DEFAULT NULL,
  `email` varchar(255) DEFAULT NULL,
  `password` varchar(255) DEFAULT NULL,
  `phone_number` varchar(255) DEFAULT NULL,
  `gender` enum('MALE','FEMALE') DEFAULT NULL,
  `date_of_birth` datetime DEFAULT NULL,
  `avatar_file_url` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  `type` enum('SUPER_ADMIN','DOCTOR','PATIENT','NURSE','SECRETARY') DEFAULT NULL,
  `deleted_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_gender` (`gender`),
  KEY `idx_type` (`type`),
  FULLTEXT KEY `ft_idx_full_fir` (`first_name`),
  FULLTEXT KEY `ft_idx_full_la` (`last_name`),
  FULLTEXT KEY `idx_ft_phone` (`phone_number`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `vaccine_patients` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `vaccine_id` bigint unsigned NOT NULL,
  `patient_id` bigint unsigned NOT NULL,
  `vaccination_age` int NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_vaccine` (`vaccine_id`),
  KEY `idx_patient` (`patient_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `vaccines` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `code` text,
  `description` longtext,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  FULLTEXT KEY `idx_name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `verification_codes` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint unsigned DEFAULT NULL,
  `phone_number` varchar(255) DEFAULT NULL,
  `email` varchar(255) DEFAULT NULL,
  `otp_code` varchar(255) NOT NULL,
  `expire_at` datetime NOT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `verification_codes_user_id_foreign` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `visit_diagnose_attachments` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `medical_case_id` bigint unsigned DEFAULT NULL,
  `visit_diagnostic_test_id` bigint unsigned NOT NULL,
  `title` varchar(255) NOT NULL,
  `file_path_url` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_vi_case` (`medical_case_id`),
  KEY `idx_vi_diagnose` (`visit_diagnostic_test_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `visit_diagnostic_tests` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `visit_id` bigint unsigned NOT NULL,
  `indication` longtext,
  `notes` longtext,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  `diagnostic_test_id` bigint unsigned DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_visit` (`visit_id`),
  KEY `idx_dia_test` (`diagnostic_test_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `visit_prescribed_medications` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `visit_id` bigint unsigned NOT NULL,
  `medicine_id` bigint unsigned NOT NULL,
  `medicine_form_id` bigint unsigned NOT NULL,
  `medicine_frequency` varchar(255) DEFAULT NULL,
  `dose` text,
  `indication` text,
  `notes` longtext,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_visit` (`visit_id`),
  KEY `idx_medicine` (`medicine_id`),
  KEY `idx_medicine_form` (`medicine_form_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `visits` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `medical_case_id` bigint unsigned DEFAULT NULL,
  `patient_id` bigint unsigned NOT NULL,
  `relation_patient_id` bigint unsigned DEFAULT NULL,
  `clinic_id` bigint unsigned NOT NULL,
  `doctor_id` bigint unsigned DEFAULT NULL,
  `medical_center_id` bigint unsigned NOT NULL,
  `reason` text,
  `visit_source` enum('VISIT','APPOINTMENT') NOT NULL DEFAULT 'VISIT',
  `visit_type` enum('OUT_PATIENT_FOLLOW_UP','IN_PATIENT_FOLLOW_UP') DEFAULT NULL,
  `status` enum('WAIT_LIST','IN_PROGRESS','DONE','TRANSFERRED','WAITING_LIST_TRANSFERRED','CALLED','CANCELLED') NOT NULL,
  `notes` longtext,
  `visit_date` datetime DEFAULT NULL,
  `patient_visit_started_at` datetime DEFAULT NULL,
  `patient_visit_ended_at` datetime DEFAULT NULL,
  `queue_number` int DEFAULT NULL,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_patient` (`patient_id`),
  KEY `idx_relation_patient` (`relation_patient_id`),
  KEY `idx_clinic` (`clinic_id`),
  KEY `idx_doctor` (`doctor_id`),
  KEY `idx_medical_center` (`medical_center_id`),
  KEY `idx_visit_source` (`visit_source`),
  KEY `idx_status` (`status`),
  KEY `idx_medical_case_id` (`medical_case_id`),
  KEY `idx_visit_type` (`visit_type`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `visual_setting_translations` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `visual_setting_id` bigint unsigned NOT NULL,
  `locale` varchar(255) NOT NULL,
  `title` varchar(255) NOT NULL,
  `description` longtext,
  PRIMARY KEY (`id`),
  UNIQUE KEY `visual_setting_translations_visual_setting_id_locale_unique` (`visual_setting_id`,`locale`),
  KEY `visual_setting_translations_locale_index` (`locale`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE `visual_settings` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `setting_key` varchar(100) NOT NULL,
  `image_file_url` text,
  `link` text,
  `created_at` timestamp NULL DEFAULT NULL,
  `updated_at` timestamp NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_unique_visual_setting_key` (`setting_key`),
  FULLTEXT KEY `idx_ft_visual_setting_key` (`setting_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Foreign keys last: tables reference each other in both directions.
ALTER TABLE `appointments`
  ADD CONSTRAINT `appointments_clinic_id_foreign` FOREIGN KEY (`clinic_id`) REFERENCES `clinics` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `appointments_created_by_user_id_foreign` FOREIGN KEY (`created_by_user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `appointments_doctor_id_foreign` FOREIGN KEY (`doctor_id`) REFERENCES `doctors` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `appointments_medical_center_id_foreign` FOREIGN KEY (`medical_center_id`) REFERENCES `medical_centers` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `appointments_patient_id_foreign` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `appointments_relation_patient_id_foreign` FOREIGN KEY (`relation_patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `associated_symptom_cases`
  ADD CONSTRAINT `associated_symptom_cases_medical_case_id_foreign` FOREIGN KEY (`medical_case_id`) REFERENCES `medical_cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `associated_symptom_cases_symptom_id_foreign` FOREIGN KEY (`symptom_id`) REFERENCES `symptoms` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `clinic_medical_specialties`
  ADD CONSTRAINT `clinic_medical_specialties_clinic_id_foreign` FOREIGN KEY (`clinic_id`) REFERENCES `clinics` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `clinic_medical_specialties_medical_specialty_id_foreign` FOREIGN KEY (`medical_specialty_id`) REFERENCES `medical_specialties` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `clinic_nurses`
  ADD CONSTRAINT `clinic_nurses_clinic_id_foreign` FOREIGN KEY (`clinic_id`) REFERENCES `clinics` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `clinic_nurses_nurse_id_foreign` FOREIGN KEY (`nurse_id`) REFERENCES `nurses` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `clinics`
  ADD CONSTRAINT `clinics_medical_center_id_foreign` FOREIGN KEY (`medical_center_id`) REFERENCES `medical_centers` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `current_medical_case_medicines`
  ADD CONSTRAINT `current_medical_case_medicines_medical_case_id_foreign` FOREIGN KEY (`medical_case_id`) REFERENCES `medical_cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `current_medical_case_medicines_medicine_form_id_foreign` FOREIGN KEY (`medicine_form_id`) REFERENCES `medicine_forms` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `current_medical_case_medicines_medicine_id_foreign` FOREIGN KEY (`medicine_id`) REFERENCES `medicines` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `doctor_clinics`
  ADD CONSTRAINT `doctor_clinics_clinic_id_foreign` FOREIGN KEY (`clinic_id`) REFERENCES `clinics` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `doctor_clinics_doctor_id_foreign` FOREIGN KEY (`doctor_id`) REFERENCES `doctors` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `doctors`
  ADD CONSTRAINT `doctors_medical_center_id_foreign` FOREIGN KEY (`medical_center_id`) REFERENCES `medical_centers` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `doctors_medical_specialty_id_foreign` FOREIGN KEY (`medical_specialty_id`) REFERENCES `medical_specialties` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `doctors_user_id_foreign` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `governorates`
  ADD CONSTRAINT `governorates_country_id_foreign` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `icd_entity_translations`
  ADD CONSTRAINT `icd_entity_translations_icd_entity_id_foreign` FOREIGN KEY (`icd_entity_id`) REFERENCES `icd_entities` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `icd_groups`
  ADD CONSTRAINT `icd_groups_icd_entity_id_foreign` FOREIGN KEY (`icd_entity_id`) REFERENCES `icd_entities` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `medical_case_attachments`
  ADD CONSTRAINT `medical_case_attachments_medical_case_id_foreign` FOREIGN KEY (`medical_case_id`) REFERENCES `medical_cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `medical_case_diagnoses`
  ADD CONSTRAINT `medical_case_diagnoses_icd_entity_id_foreign` FOREIGN KEY (`icd_entity_id`) REFERENCES `icd_entities` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `medical_case_diagnoses_medical_case_id_foreign` FOREIGN KEY (`medical_case_id`) REFERENCES `medical_cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `medical_cases`
  ADD CONSTRAINT `medical_cases_doctor_id_foreign` FOREIGN KEY (`doctor_id`) REFERENCES `doctors` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `medical_cases_medical_center_id_foreign` FOREIGN KEY (`medical_center_id`) REFERENCES `medical_centers` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `medical_cases_patient_id_foreign` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `medical_center_diagnostic_tests`
  ADD CONSTRAINT `medical_center_diagnostic_tests_diagnostic_test_id_foreign` FOREIGN KEY (`diagnostic_test_id`) REFERENCES `diagnostic_tests` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `medical_center_diagnostic_tests_medical_center_id_foreign` FOREIGN KEY (`medical_center_id`) REFERENCES `medical_centers` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `medical_centers`
  ADD CONSTRAINT `medical_centers_governorate_id_foreign` FOREIGN KEY (`governorate_id`) REFERENCES `governorates` (`id`) ON DELETE CASCADE;

ALTER TABLE `medicines`
  ADD CONSTRAINT `medicines_medicine_brand_id_foreign` FOREIGN KEY (`medicine_brand_id`) REFERENCES `medicine_brands` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `medicines_medicine_form_id_foreign` FOREIGN KEY (`medicine_form_id`) REFERENCES `medicine_forms` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `model_has_permissions`
  ADD CONSTRAINT `model_has_permissions_permission_id_foreign` FOREIGN KEY (`permission_id`) REFERENCES `permissions` (`id`) ON DELETE CASCADE;

ALTER TABLE `model_has_roles`
  ADD CONSTRAINT `model_has_roles_role_id_foreign` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE CASCADE;

ALTER TABLE `nurses`
  ADD CONSTRAINT `nurses_medical_center_id_foreign` FOREIGN KEY (`medical_center_id`) REFERENCES `medical_centers` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `nurses_user_id_foreign` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `patient_allergies`
  ADD CONSTRAINT `patient_allergies_allergy_id_foreign` FOREIGN KEY (`allergy_id`) REFERENCES `allergies` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `patient_allergies_patient_id_foreign` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `patient_health_record_icd_entities`
  ADD CONSTRAINT `health_record` FOREIGN KEY (`patient_health_record_id`) REFERENCES `patient_health_records` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `patient_health_record_icd_entities_icd_entity_id_foreign` FOREIGN KEY (`icd_entity_id`) REFERENCES `icd_entities` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `patient_health_records`
  ADD CONSTRAINT `patient_health_records_doctor_id_foreign` FOREIGN KEY (`doctor_id`) REFERENCES `doctors` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `patient_health_records_patient_id_foreign` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `patient_health_records_visit_id_foreign` FOREIGN KEY (`visit_id`) REFERENCES `visits` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `patient_inherited_diseases`
  ADD CONSTRAINT `patient_inherited_diseases_inherited_disease_id_foreign` FOREIGN KEY (`inherited_disease_id`) REFERENCES `inherited_diseases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `patient_inherited_diseases_patient_id_foreign` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `patients`
  ADD CONSTRAINT `patients_country_id_foreign` FOREIGN KEY (`country_id`) REFERENCES `countries` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `patients_governorate_id_foreign` FOREIGN KEY (`governorate_id`) REFERENCES `governorates` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `patients_relation_patient_id_foreign` FOREIGN KEY (`relation_patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `patients_user_id_foreign` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `role_has_permissions`
  ADD CONSTRAINT `role_has_permissions_permission_id_foreign` FOREIGN KEY (`permission_id`) REFERENCES `permissions` (`id`) ON DELETE CASCADE,
  ADD CONSTRAINT `role_has_permissions_role_id_foreign` FOREIGN KEY (`role_id`) REFERENCES `roles` (`id`) ON DELETE CASCADE;

ALTER TABLE `secretaries`
  ADD CONSTRAINT `secretaries_medical_center_id_foreign` FOREIGN KEY (`medical_center_id`) REFERENCES `medical_centers` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `secretaries_user_id_foreign` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `vaccine_patients`
  ADD CONSTRAINT `vaccine_patients_patient_id_foreign` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `vaccine_patients_vaccine_id_foreign` FOREIGN KEY (`vaccine_id`) REFERENCES `vaccines` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `verification_codes`
  ADD CONSTRAINT `verification_codes_user_id_foreign` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `visit_diagnose_attachments`
  ADD CONSTRAINT `visit_diagnose_attachments_medical_case_id_foreign` FOREIGN KEY (`medical_case_id`) REFERENCES `medical_cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `visit_diagnose_attachments_visit_diagnostic_test_id_foreign` FOREIGN KEY (`visit_diagnostic_test_id`) REFERENCES `visit_diagnostic_tests` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `visit_diagnostic_tests`
  ADD CONSTRAINT `visit_diagnostic_tests_diagnostic_test_id_foreign` FOREIGN KEY (`diagnostic_test_id`) REFERENCES `diagnostic_tests` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `visit_diagnostic_tests_visit_id_foreign` FOREIGN KEY (`visit_id`) REFERENCES `visits` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `visit_prescribed_medications`
  ADD CONSTRAINT `visit_prescribed_medications_medicine_form_id_foreign` FOREIGN KEY (`medicine_form_id`) REFERENCES `medicine_forms` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `visit_prescribed_medications_medicine_id_foreign` FOREIGN KEY (`medicine_id`) REFERENCES `medicines` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `visit_prescribed_medications_visit_id_foreign` FOREIGN KEY (`visit_id`) REFERENCES `visits` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `visits`
  ADD CONSTRAINT `visits_clinic_id_foreign` FOREIGN KEY (`clinic_id`) REFERENCES `clinics` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `visits_doctor_id_foreign` FOREIGN KEY (`doctor_id`) REFERENCES `doctors` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `visits_medical_case_id_foreign` FOREIGN KEY (`medical_case_id`) REFERENCES `medical_cases` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `visits_medical_center_id_foreign` FOREIGN KEY (`medical_center_id`) REFERENCES `medical_centers` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `visits_patient_id_foreign` FOREIGN KEY (`patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  ADD CONSTRAINT `visits_relation_patient_id_foreign` FOREIGN KEY (`relation_patient_id`) REFERENCES `patients` (`id`) ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE `visual_setting_translations`
  ADD CONSTRAINT `visual_setting_translations_visual_setting_id_foreign` FOREIGN KEY (`visual_setting_id`) REFERENCES `visual_settings` (`id`) ON DELETE CASCADE;
