{{ stage_v1_table('medicines') }}
