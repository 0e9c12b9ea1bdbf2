{{ config(enabled=carry_table('jobs')) }}
{{ stage_v1_table('jobs') }}
