{{ stage_v1_table('visit_prescribed_medications') }}
