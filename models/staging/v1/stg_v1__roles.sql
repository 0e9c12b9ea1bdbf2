{{ stage_v1_table('roles') }}
