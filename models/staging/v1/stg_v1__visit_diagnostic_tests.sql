{{ stage_v1_table('visit_diagnostic_tests') }}
