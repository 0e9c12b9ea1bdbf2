"""What makes a real run safe to start, to interrupt and to undo.

- lock      one run at a time: a server-side lock (GET_LOCK) named after the v2 database, held
            by the driver's connection for the whole run; the server frees it when that
            connection dies.
- record    the run record, in the work schema: each run, its status, its backup, the v2 tables
            it touches (with their checksums before and after) and the models it has finished.
- backup    before the first write to v2, a copy of every v2 table the run replaces, in the
            schema `<v2>_backup` on the v2 server; the restore that --rollback does, verified
            by checksum; which v2 rows this tool did not write.
- decision  start, resume or refuse: a pure function of the last run, the foreign rows and the
            options (tested without a server), and whether a rollback is possible.

All of it is set-based SQL on the v2 server; no table's rows pass through Python.
"""
