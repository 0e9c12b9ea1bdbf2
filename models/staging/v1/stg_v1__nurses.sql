{{ stage_v1_table('nurses') }}
