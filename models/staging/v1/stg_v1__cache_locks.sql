{{ config(enabled=carry_table('cache_locks')) }}
{{ stage_v1_table('cache_locks') }}
