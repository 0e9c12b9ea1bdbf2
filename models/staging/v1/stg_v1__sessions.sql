{{ config(enabled=carry_table('sessions')) }}
{{ stage_v1_table('sessions') }}
