{{ stage_v1_table('patients') }}
