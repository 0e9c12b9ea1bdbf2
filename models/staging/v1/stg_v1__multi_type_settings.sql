{{ stage_v1_table('multi_type_settings') }}
