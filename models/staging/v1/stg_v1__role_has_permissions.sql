{{ stage_v1_table('role_has_permissions') }}
