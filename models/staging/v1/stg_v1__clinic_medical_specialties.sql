{{ stage_v1_table('clinic_medical_specialties') }}
