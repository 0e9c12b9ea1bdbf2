{{ stage_v1_table('oauth_refresh_tokens') }}
