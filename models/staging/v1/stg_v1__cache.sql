{{ config(enabled=carry_table('cache')) }}
{{ stage_v1_table('cache') }}
