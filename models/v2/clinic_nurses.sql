{{ v2_rows() }}
