{{ stage_v1_table('doctors') }}
