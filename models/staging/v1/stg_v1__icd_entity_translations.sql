{{ stage_v1_table('icd_entity_translations') }}
