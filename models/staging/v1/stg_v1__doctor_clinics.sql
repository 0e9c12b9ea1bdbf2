{{ stage_v1_table('doctor_clinics') }}
