{{ config(enabled=carry_table('job_batches')) }}
{{ stage_v1_table('job_batches') }}
