{{ stage_v1_table('vaccines') }}
