{{ stage_v1_table('medical_case_diagnoses') }}
