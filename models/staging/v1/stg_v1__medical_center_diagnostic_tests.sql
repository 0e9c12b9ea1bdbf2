{{ stage_v1_table('medical_center_diagnostic_tests') }}
