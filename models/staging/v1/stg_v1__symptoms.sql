{{ stage_v1_table('symptoms') }}
