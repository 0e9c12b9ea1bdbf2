"""One run at a time: a server lock (GET_LOCK) named after the v2 database, held by the
driver's connection until it closes; the server frees it when that connection dies, also when
the process is killed."""
from __future__ import annotations

from driver.errors import EXIT_BUSY, RunFailed


def lock_name(database: str) -> str:
    return ("moh-migrate:" + database)[:64]


def acquire_lock(conn, database: str) -> None:
    """Take the run lock on this connection, or fail at once naming who holds it."""
    cur = conn.cursor(buffered=True)
    cur.execute("select get_lock(%s, 0)", (lock_name(database),))
    if cur.fetchone()[0] == 1:
        return
    cur.execute("select is_used_lock(%s)", (lock_name(database),))
    holder = cur.fetchone()[0]
    raise RunFailed(f"another moh-migrate run is working on {database} (server connection {holder}); "
                    "wait for it to finish, or stop it, then run again", EXIT_BUSY)
