{{ stage_v1_table('model_has_roles') }}
