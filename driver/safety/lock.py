"""One run at a time: a server lock (GET_LOCK) named after the v2 database, held by the
driver's connection until it closes; the server frees it when that connection dies, also when
the process is killed."""
from __future__ import annotations

from driver.errors import EXIT_BUSY, RunFailed
from driver.pg import is_postgres


def lock_name(database: str) -> str:
    return ("moh-migrate:" + database)[:64]


def acquire_lock(conn, database: str) -> None:
    """Take the run lock on this connection, or fail at once naming who holds it."""
    if is_postgres(conn):  # an advisory lock of the session, freed when it ends
        cur = conn.cursor()
        cur.execute("select pg_try_advisory_lock(hashtext(%s))", (lock_name(database),))
        if cur.fetchone()[0]:
            return
        cur.execute("select l.pid from pg_locks l where l.locktype = 'advisory' and l.granted "
                    "and l.database = (select oid from pg_database where datname = current_database()) "
                    "and l.objid = (hashtext(%s)::bigint & 4294967295)::oid and l.pid <> pg_backend_pid()",
                    (lock_name(database),))
        row = cur.fetchone()
        raise RunFailed(f"another moh-migrate run is working on {database} (server process {row[0] if row else '?'}); "
                        "wait for it to finish, or stop it, then run again", EXIT_BUSY)
    cur = conn.cursor(buffered=True)
    cur.execute("select get_lock(%s, 0)", (lock_name(database),))
    if cur.fetchone()[0] == 1:
        return
    cur.execute("select is_used_lock(%s)", (lock_name(database),))
    holder = cur.fetchone()[0]
    raise RunFailed(f"another moh-migrate run is working on {database} (server connection {holder}); "
                    "wait for it to finish, or stop it, then run again", EXIT_BUSY)
