{{ stage_v1_table('clinic_nurses') }}
