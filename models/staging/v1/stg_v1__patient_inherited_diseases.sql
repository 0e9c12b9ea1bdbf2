{{ stage_v1_table('patient_inherited_diseases') }}
