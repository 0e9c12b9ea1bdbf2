{{ stage_v1_table('oauth_personal_access_clients') }}
