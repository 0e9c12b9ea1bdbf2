{{ config(enabled=carry_table('jobs')) }}
{{ v2_checked() }}
