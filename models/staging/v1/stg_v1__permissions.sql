{{ stage_v1_table('permissions') }}
