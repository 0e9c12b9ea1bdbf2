{{ stage_v1_table('verification_codes') }}
