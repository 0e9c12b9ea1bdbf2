{{ stage_v1_table('diagnostic_tests') }}
