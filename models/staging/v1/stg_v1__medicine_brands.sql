{{ stage_v1_table('medicine_brands') }}
