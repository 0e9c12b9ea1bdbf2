{{ stage_v1_table('vaccine_patients') }}
