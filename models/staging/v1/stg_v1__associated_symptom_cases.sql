{{ stage_v1_table('associated_symptom_cases') }}
