{{ v2_checked() }}
