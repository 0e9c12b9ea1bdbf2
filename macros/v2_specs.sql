{#-
  What each migrated v2 table needs beyond a plain copy, by table (the keys are documented in
  v2_checked.sql). Both models of a table read it: int_<table>_checked (the rules) and the v2
  model (which loads after the v2 tables it points at). Tables not listed are copied unchanged
  and have no key.
-#}
{% macro v2_spec(table) -%}
  {{- return(v2_specs().get(table, {})) -}}
{%- endmacro %}

{% macro v2_specs() -%}
  {{- return({
    'allergies': {
        'unique_key': ['id'],
    },
    'appointments': {
        'unique_key': ['id'],
        'references': {
            'created_by_user_id': 'users',
            'doctor_id': 'doctors',
            'clinic_id': 'clinics',
            'medical_center_id': 'medical_centers',
        },
        'patient_refs': ['patient_id', 'relation_patient_id'],
    },
    'associated_symptom_cases': {
        'unique_key': none,
        'references': {
            'medical_case_id': 'medical_cases',
            'symptom_id': 'symptoms',
        },
    },
    'cache': {
        'unique_key': ['key'],
    },
    'cache_locks': {
        'unique_key': ['key'],
    },
    'clinic_medical_specialties': {
        'unique_key': none,
        'references': {
            'clinic_id': 'clinics',
            'medical_specialty_id': 'medical_specialties',
        },
    },
    'clinic_nurses': {
        'unique_key': none,
        'references': {
            'clinic_id': 'clinics',
            'nurse_id': 'nurses',
        },
    },
    'clinics': {
        'unique_key': ['id'],
        'references': {
            'medical_center_id': 'medical_centers',
        },
    },
    'countries': {
        'unique_key': ['id'],
    },
    'current_medical_case_medicines': {
        'unique_key': ['id'],
        'references': {
            'medical_case_id': 'medical_cases',
            'medicine_form_id': 'medicine_forms',
            'medicine_id': 'medicines',
        },
    },
    'diagnostic_tests': {
        'unique_key': ['id'],
    },
    'doctor_clinics': {
        'unique_key': none,
        'references': {
            'clinic_id': 'clinics',
            'doctor_id': 'doctors',
        },
    },
    'doctors': {
        'unique_key': ['id'],
        'references': {
            'medical_center_id': 'medical_centers',
            'medical_specialty_id': 'medical_specialties',
            'user_id': 'users',
        },
    },
    'failed_jobs': {
        'unique_key': ['id'],
    },
    'governorates': {
        'unique_key': ['id'],
        'references': {
            'country_id': 'countries',
        },
    },
    'icd_entities': {
        'unique_key': ['id'],
    },
    'icd_entity_translations': {
        'unique_key': ['id'],
        'references': {
            'icd_entity_id': 'icd_entities',
        },
    },
    'icd_groups': {
        'unique_key': ['id'],
        'references': {
            'icd_entity_id': 'icd_entities',
        },
    },
    'inherited_diseases': {
        'unique_key': ['id'],
    },
    'job_batches': {
        'unique_key': ['id'],
    },
    'jobs': {
        'unique_key': ['id'],
    },
    'medical_case_attachments': {
        'unique_key': ['id'],
        'references': {
            'medical_case_id': 'medical_cases',
        },
    },
    'medical_case_diagnoses': {
        'unique_key': ['id'],
        'references': {
            'icd_entity_id': 'icd_entities',
            'medical_case_id': 'medical_cases',
        },
    },
    'medical_cases': {
        'unique_key': ['id'],
        'references': {
            'doctor_id': 'doctors',
            'medical_center_id': 'medical_centers',
        },
        'patient_refs': ['patient_id'],
    },
    'medical_center_diagnostic_tests': {
        'unique_key': ['id'],
        'references': {
            'diagnostic_test_id': 'diagnostic_tests',
            'medical_center_id': 'medical_centers',
        },
    },
    'medical_centers': {
        'unique_key': ['id'],
        'references': {
            'governorate_id': 'governorates',
        },
    },
    'medical_specialties': {
        'unique_key': ['id'],
    },
    'medicine_brands': {
        'unique_key': ['id'],
    },
    'medicine_forms': {
        'unique_key': ['id'],
    },
    'medicines': {
        'unique_key': ['id'],
        'references': {
            'medicine_brand_id': 'medicine_brands',
            'medicine_form_id': 'medicine_forms',
        },
    },
    'medicines_frequencies': {
        'unique_key': ['id'],
    },
    'model_has_permissions': {
        'base': 'int_model_has_permissions_shaped',
        'v1_table': 'model_has_permissions',
        'unique_key': ['permission_id', 'model_id', 'model_type'],
        'references': {
            'permission_id': 'permissions',
        },
    },
    'model_has_roles': {
        'base': 'int_model_has_roles_shaped',
        'v1_table': 'model_has_roles',
        'unique_key': ['role_id', 'model_id', 'model_type'],
        'references': {
            'role_id': 'roles',
        },
    },
    'multi_type_settings': {
        'unique_key': ['id'],
    },
    'nurses': {
        'unique_key': ['id'],
        'references': {
            'medical_center_id': 'medical_centers',
            'user_id': 'users',
        },
    },
    'oauth_access_tokens': {
        'base': 'int_oauth_access_tokens_shaped',
        'v1_table': 'oauth_access_tokens',
        'unique_key': ['id'],
    },
    'oauth_auth_codes': {
        'base': 'int_oauth_auth_codes_shaped',
        'v1_table': 'oauth_auth_codes',
        'unique_key': ['id'],
    },
    'oauth_clients': {
        'unique_key': ['id'],
        'references': {
            'user_id': 'users',
        },
    },
    'oauth_personal_access_clients': {
        'unique_key': ['id'],
    },
    'oauth_refresh_tokens': {
        'unique_key': ['id'],
    },
    'password_reset_tokens': {
        'unique_key': ['email'],
    },
    'patient_allergies': {
        'unique_key': ['id'],
        'references': {
            'allergy_id': 'allergies',
        },
        'patient_refs': ['patient_id'],
    },
    'patient_health_record_icd_entities': {
        'unique_key': none,
        'references': {
            'patient_health_record_id': 'patient_health_records',
            'icd_entity_id': 'icd_entities',
        },
    },
    'patient_health_records': {
        'unique_key': ['id'],
        'references': {
            'doctor_id': 'doctors',
            'visit_id': 'visits',
        },
        'patient_refs': ['patient_id'],
    },
    'patient_inherited_diseases': {
        'unique_key': ['id'],
        'references': {
            'inherited_disease_id': 'inherited_diseases',
        },
        'patient_refs': ['patient_id'],
    },
    'patients': {
        'base': 'int_patients_shaped',
        'v1_table': 'patients',
        'unique_key': ['patient_id'],
        'self_references': ['relation_patient_id'],
        'carried': ['_v1_patient_id', '_v1_user_id'],
        'indexes': [['_v1_patient_id']],
        'v1_unique_keys': [['national_id']],
        'base_rejects': false,
        'references': {
            'country_id': 'countries',
            'governorate_id': 'governorates',
        },
        'dropped': {
            'id': 'replaced by patient_id (a UUID); the crosswalk keeps it',
            'user_id': 'the person moves into the patient row; the crosswalk keeps it',
            'national_number': 'renamed national_id',
            'address': 'no v2 column; each patient with an address is recorded as changed',
        },
    },
    'permissions': {
        'unique_key': ['id'],
    },
    'role_has_permissions': {
        'unique_key': ['permission_id', 'role_id'],
        'references': {
            'permission_id': 'permissions',
            'role_id': 'roles',
        },
    },
    'roles': {
        'unique_key': ['id'],
    },
    'secretaries': {
        'unique_key': ['id'],
        'references': {
            'medical_center_id': 'medical_centers',
            'user_id': 'users',
        },
    },
    'sessions': {
        'unique_key': ['id'],
        'references': {
            'user_id': 'users',
        },
    },
    'symptoms': {
        'unique_key': ['id'],
    },
    'users': {
        'base': 'int_users_shaped',
        'v1_table': 'users',
        'unique_key': ['id'],
    },
    'vaccine_patients': {
        'unique_key': ['id'],
        'references': {
            'vaccine_id': 'vaccines',
        },
        'patient_refs': ['patient_id'],
    },
    'vaccines': {
        'unique_key': ['id'],
    },
    'verification_codes': {
        'base': 'int_verification_codes_shaped',
        'v1_table': 'verification_codes',
        'unique_key': ['id'],
        'references': {
            'patient_id': 'patients',
        },
        'dropped': {
            'user_id': "becomes patient_id, the UUID of that user's primary patient",
        },
    },
    'visit_diagnose_attachments': {
        'unique_key': ['id'],
        'references': {
            'medical_case_id': 'medical_cases',
            'visit_diagnostic_test_id': 'visit_diagnostic_tests',
        },
    },
    'visit_diagnostic_tests': {
        'unique_key': ['id'],
        'references': {
            'diagnostic_test_id': 'diagnostic_tests',
            'visit_id': 'visits',
        },
    },
    'visit_prescribed_medications': {
        'unique_key': ['id'],
        'references': {
            'medicine_form_id': 'medicine_forms',
            'medicine_id': 'medicines',
            'visit_id': 'visits',
        },
    },
    'visits': {
        'unique_key': ['id'],
        'references': {
            'clinic_id': 'clinics',
            'doctor_id': 'doctors',
            'medical_case_id': 'medical_cases',
            'medical_center_id': 'medical_centers',
        },
        'patient_refs': ['patient_id', 'relation_patient_id'],
    },
    'visual_setting_translations': {
        'unique_key': ['id'],
        'references': {
            'visual_setting_id': 'visual_settings',
        },
    },
    'visual_settings': {
        'unique_key': ['id'],
    }
  }) -}}
{%- endmacro %}
