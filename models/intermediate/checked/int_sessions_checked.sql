{{ config(enabled=carry_table('sessions')) }}
{{ v2_checked() }}
