{{ config(enabled=carry_table('failed_jobs')) }}
{{ v2_checked() }}
