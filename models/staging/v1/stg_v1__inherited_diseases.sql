{{ stage_v1_table('inherited_diseases') }}
