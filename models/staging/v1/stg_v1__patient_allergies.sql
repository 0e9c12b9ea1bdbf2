{{ stage_v1_table('patient_allergies') }}
