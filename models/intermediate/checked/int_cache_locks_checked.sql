{{ config(enabled=carry_table('cache_locks')) }}
{{ v2_checked() }}
