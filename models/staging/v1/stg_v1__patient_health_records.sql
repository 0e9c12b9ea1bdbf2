{{ stage_v1_table('patient_health_records') }}
