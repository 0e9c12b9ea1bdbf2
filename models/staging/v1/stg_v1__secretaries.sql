{{ stage_v1_table('secretaries') }}
