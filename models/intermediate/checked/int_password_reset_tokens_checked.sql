{{ config(enabled=carry_table('password_reset_tokens')) }}
{{ v2_checked() }}
