{{ stage_v1_table('icd_entities') }}
