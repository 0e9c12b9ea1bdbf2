{{ stage_v1_table('allergies') }}
