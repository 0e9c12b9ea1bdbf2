{{ stage_v1_table('clinics') }}
