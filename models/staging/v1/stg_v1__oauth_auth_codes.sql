{{ stage_v1_table('oauth_auth_codes') }}
