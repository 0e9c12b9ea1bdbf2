{{ stage_v1_table('visual_setting_translations') }}
