{{ stage_v1_table('users') }}
