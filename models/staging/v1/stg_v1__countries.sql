{{ stage_v1_table('countries') }}
