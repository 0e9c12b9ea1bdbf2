{{ stage_v1_table('current_medical_case_medicines') }}
