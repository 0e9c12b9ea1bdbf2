{{ config(enabled=carry_table('password_reset_tokens')) }}
{{ stage_v1_table('password_reset_tokens') }}
