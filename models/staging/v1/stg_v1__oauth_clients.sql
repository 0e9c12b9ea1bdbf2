{{ stage_v1_table('oauth_clients') }}
