{{ config(enabled=carry_table('job_batches')) }}
{{ v2_checked() }}
