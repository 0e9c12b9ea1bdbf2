{{ config(enabled=carry_table('cache')) }}
{{ v2_checked() }}
