{{ stage_v1_table('visits') }}
