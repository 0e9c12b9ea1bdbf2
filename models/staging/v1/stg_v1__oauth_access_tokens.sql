{{ stage_v1_table('oauth_access_tokens') }}
