{{ stage_v1_table('appointments') }}
