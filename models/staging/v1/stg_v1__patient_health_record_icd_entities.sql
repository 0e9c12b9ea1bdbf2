{{ stage_v1_table('patient_health_record_icd_entities') }}
