{{ stage_v1_table('medical_cases') }}
