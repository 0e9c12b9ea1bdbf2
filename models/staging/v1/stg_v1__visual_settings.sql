{{ stage_v1_table('visual_settings') }}
