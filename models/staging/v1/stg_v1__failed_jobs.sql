{{ config(enabled=carry_table('failed_jobs')) }}
{{ stage_v1_table('failed_jobs') }}
