{{ stage_v1_table('governorates') }}
