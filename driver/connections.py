"""Connecting to the v1 and v2 servers: retries, one-line errors, privileges, same server or
not, and the connections a run holds (RunConnections)."""
from __future__ import annotations

import logging
import time

import mysql.connector
from mysql.connector import errorcode

from driver.config import Config, Endpoint
from driver.errors import EXIT_CONNECTION, RunFailed
from driver.pg import is_postgres
from driver.safety.lock import acquire_lock

log = logging.getLogger(__name__)


class ConnectionProblem(Exception):
    """A server cannot be used: the message is the one line the user sees."""


def _explain(endpoint: Endpoint, error: mysql.connector.Error, label: str) -> str:
    s = endpoint.server
    where = s.unix_socket or f"{s.host}:{s.port}"
    if error.errno == errorcode.ER_ACCESS_DENIED_ERROR and not (s.ssl_ca or s.ssl_cert) and _accepts_tls_login(endpoint):
        # MariaDB refuses a plain login to a require_secure_transport server as "access denied"
        return f"{label}: {where} accepts only TLS connections: add ?ssl_ca=/path/to/ca.pem to {label}_db_url"
    if error.errno == errorcode.ER_ACCESS_DENIED_ERROR:
        return f"{label}: {where} refused the login of {s.user} (wrong user or password in {label}_db_url?)"
    if error.errno == errorcode.ER_DBACCESS_DENIED_ERROR:
        return f"{label}: {s.user} may not use database {endpoint.database} on {where}"
    if error.errno == errorcode.ER_BAD_DB_ERROR:
        return f"{label}: database {endpoint.database} does not exist on {where}"
    if error.errno in (errorcode.CR_CONN_HOST_ERROR, errorcode.CR_UNKNOWN_HOST, errorcode.CR_CONNECTION_ERROR,
                       errorcode.CR_SERVER_LOST, 2013):
        return f"{label}: no MySQL/MariaDB server answers at {where}"
    if error.errno in (4036, 3159):  # MariaDB, MySQL: require_secure_transport
        return f"{label}: {where} accepts only TLS connections: add ?ssl_ca=/path/to/ca.pem to {label}_db_url"
    if error.errno in (2026, errorcode.CR_SSL_CONNECTION_ERROR) or "SSL" in str(error.msg):
        return f"{label}: TLS connection to {where} failed ({error.msg})"
    return f"{label}: cannot connect to {where} as {s.user} (MySQL error {error.errno})"


def _accepts_tls_login(endpoint: Endpoint) -> bool:
    """Whether the same login succeeds over TLS (unverified, closed at once): only to tell the
    user why the plain login was refused."""
    s = endpoint.server
    where = {"unix_socket": s.unix_socket} if s.unix_socket else {"host": s.host, "port": s.port}
    try:
        mysql.connector.connect(user=s.user, password=s.password, ssl_disabled=False, **where).close()
        return True
    except mysql.connector.Error:
        return False


def _explain_pg(endpoint: Endpoint, error, label: str) -> tuple[str, bool]:
    """(one line, whether trying again may help) for a PostgreSQL connection error."""
    s = endpoint.server
    where = s.unix_socket or f"{s.host}:{s.port}"
    text = str(error).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    if "password authentication failed" in text or "no password supplied" in text:
        return f"{label}: {where} refused the login of {s.user} (wrong user or password in {label}_db_url?)", False
    if "does not exist" in text and "database" in text:
        return f"{label}: database {endpoint.database} does not exist on {where}", False
    if "role" in text and "does not exist" in text:
        return f"{label}: {where} has no user {s.user}", False
    if "no pg_hba.conf entry" in text and ("SSL off" in text or "no encryption" in text):
        return f"{label}: {where} accepts only TLS connections: add ?sslmode=verify-full&sslrootcert=/path/to/ca.pem to {label}_db_url", False
    if "certificate" in text or "SSL" in text:
        return f"{label}: TLS connection to {where} failed ({first})", False
    if "could not connect" in text or "Connection refused" in text or "timeout" in text or "could not translate" in text:
        return f"{label}: no PostgreSQL server answers at {where}", True
    return f"{label}: cannot connect to {where} as {s.user} ({first})", False


def _connect_pg(endpoint: Endpoint, label: str, attempts: int, delay: float):
    import psycopg2
    for attempt in range(1, attempts + 1):
        try:
            return endpoint.server.connect_driver()
        except psycopg2.Error as e:
            message, passing = _explain_pg(endpoint, e, label)
            if not passing or attempt == attempts:
                raise ConnectionProblem(message) from None
            log.info("%s: server not answering, retry %d of %d in %.0fs", label, attempt, attempts - 1, delay)
            time.sleep(delay)


def connect(endpoint: Endpoint, label: str, *, attempts: int = 1, delay: float = 0.0, database: bool = True):
    """A connection to the endpoint's server (and database); `attempts` tries for errors that
    may pass (server unreachable), none for errors that will not (wrong password)."""
    if endpoint.is_postgres:
        return _connect_pg(endpoint, label, attempts, delay)
    for attempt in range(1, attempts + 1):
        try:
            return endpoint.server.connect(endpoint.database if database else None)
        except mysql.connector.Error as e:
            passing = e.errno in (errorcode.CR_CONN_HOST_ERROR, errorcode.CR_CONNECTION_ERROR,
                                  errorcode.CR_SERVER_LOST, 2013)
            if not passing or attempt == attempts:
                raise ConnectionProblem(_explain(endpoint, e, label)) from None
            log.info("%s: server not answering, retry %d of %d in %.0fs", label, attempt, attempts - 1, delay)
            time.sleep(delay)


def server_identity(conn) -> tuple:
    """What tells two connections apart: the same server answers with the same values."""
    if is_postgres(conn):  # v1 is MySQL/MariaDB: never the same server as a PostgreSQL v2
        return ("postgres", id(conn))
    cur = conn.cursor()
    cur.execute("select @@hostname, @@port, @@datadir, @@socket")
    return cur.fetchone()


# PostgreSQL: what a MySQL privilege on a schema means there. On the v2 schema, table
# privileges on every table of it; on the migration's own schemas, CREATE (and USAGE) on the
# schema when it exists, else CREATE on the database (to create it).
PG_TABLE_PRIVILEGES = {"SELECT", "INSERT", "UPDATE", "DELETE"}


def _missing_pg_privileges(conn, schema: str, needed: list[str]) -> list[str]:
    cur = conn.cursor()
    cur.execute("select exists (select 1 from pg_namespace where nspname = %s)", (schema,))
    exists = cur.fetchone()[0]
    missing = []
    table_privileges = [p for p in needed if p in PG_TABLE_PRIVILEGES]
    schema_level = [p for p in needed if p not in PG_TABLE_PRIVILEGES and p != "SEQUENCE UPDATE"]
    if not exists:
        cur.execute("select has_database_privilege(current_database(), 'CREATE')")
        return [] if cur.fetchone()[0] else ["CREATE"]
    cur.execute("select has_schema_privilege(%s, 'USAGE')", (schema,))
    if not cur.fetchone()[0]:
        return ["USAGE"] + needed
    if schema_level:
        cur.execute("select has_schema_privilege(%s, 'CREATE') or exists (select 1 from pg_namespace n "
                    "where n.nspname = %s and pg_has_role(n.nspowner, 'USAGE'))", (schema, schema))
        if not cur.fetchone()[0]:
            missing.append("CREATE")
    if "SEQUENCE UPDATE" in needed:
        cur.execute("select count(*) from pg_class s join pg_namespace n on n.oid = s.relnamespace "
                    "where n.nspname = %s and case when s.relkind = 'S' then not has_sequence_privilege(s.oid, 'UPDATE') end",
                    (schema,))
        if cur.fetchone()[0]:
            missing.append("SEQUENCE UPDATE")
    for privilege in table_privileges:
        cur.execute("select count(*) from pg_tables where schemaname = %s "
                    "and not has_table_privilege(format('%%I.%%I', schemaname, tablename), %s)", (schema, privilege))
        if cur.fetchone()[0]:
            missing.append(privilege)
    return missing


def missing_privileges(conn, schema: str, needed: list[str]) -> list[str]:
    """Which of `needed` the current account lacks on `schema` (global or schema grants,
    wildcards included). Table-level grants are not considered: grant on the database."""
    if is_postgres(conn):
        return _missing_pg_privileges(conn, schema, needed)
    cur = conn.cursor()
    cur.execute("select current_user()")
    user, host = cur.fetchone()[0].rsplit("@", 1)
    grantee = f"'{user}'@'{host}'"
    cur.execute(
        "select privilege_type from information_schema.user_privileges where grantee = %s "
        "union select privilege_type from information_schema.schema_privileges "
        "where grantee = %s and %s like table_schema",
        (grantee, grantee, schema))
    held = {row[0] for row in cur.fetchall()}
    return [p for p in needed if p not in held]


def require_privileges(conn, label: str, endpoint: Endpoint, schema: str, needed: list[str],
                       needed_for: str = "") -> None:
    """Stop before any write when the account lacks one of `needed` on `schema`; `needed_for`
    names the option that needs them."""
    missing = missing_privileges(conn, schema, needed)
    if missing and is_postgres(conn):
        why = f", which {needed_for} needs" if needed_for else ""
        if missing == ["SEQUENCE UPDATE"]:
            raise ConnectionProblem(f"{label}: {endpoint.server.user} lacks UPDATE on the sequences of {schema}{why} "
                                    f"(GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO the migration account)")
        on = (f"ALL TABLES IN SCHEMA {schema}" if set(missing) <= PG_TABLE_PRIVILEGES
              else f"SCHEMA {schema}" if "CREATE" not in missing or schema_exists(conn, schema)
              else f"DATABASE {endpoint.database}")
        raise ConnectionProblem(
            f"{label}: {endpoint.server.user} lacks {', '.join(missing)} on {schema}{why} "
            f"(GRANT {', '.join(missing)} ON {on} TO the migration account)")
    if missing:
        why = f", which {needed_for} needs" if needed_for else ""
        raise ConnectionProblem(
            f"{label}: {endpoint.server.user} lacks {', '.join(missing)} on {schema}{why} "
            f"(GRANT {', '.join(missing)} ON `{schema}`.* TO the migration account)")


def schema_exists(conn, schema: str) -> bool:
    cur = conn.cursor()
    cur.execute("select count(*) from information_schema.schemata where schema_name = %s", (schema,))
    return cur.fetchone()[0] > 0


def table_names(conn, schema: str) -> set[str]:
    cur = conn.cursor()
    cur.execute("select table_name from information_schema.tables where table_schema = %s", (schema,))
    return {row[0] for row in cur.fetchall()}


class RunConnections:
    """The driver's own connections during a run: v1 (reads) and v2 (the run lock, the run
    record, the reports). One place opens them, takes the lock, connects again after the v2
    server restarted and closes them. Failures become RunFailed with exit code 3."""

    def __init__(self, config: Config, *, lock: bool):
        self.config, self.lock = config, lock
        self.old = None
        self.new = None
        self.same_server = True

    def __enter__(self) -> RunConnections:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def connect(self, endpoint: Endpoint, label: str, **kwargs):
        c = self.config
        try:
            return connect(endpoint, label, attempts=c.retry_attempts, delay=c.retry_delay_seconds, **kwargs)
        except ConnectionProblem as e:
            raise RunFailed(str(e), EXIT_CONNECTION) from None

    def open(self, *, old: bool = True) -> None:
        """Connect to v2 (and v1), taking the run lock on the v2 connection when asked: it is
        held until that connection closes, or the process dies."""
        if old:
            self.old = self.connect(self.config.old, "old")
        self.new = self.connect(self.config.new, "new")
        if self.lock:
            acquire_lock(self.new, self.config.new.database)
        if old:
            self.same_server = server_identity(self.old) == server_identity(self.new)

    def reconnect_if_lost(self) -> None:
        """The v2 server may have restarted under dbt: the driver's connection, and the run
        lock it held, are gone. Connect again and take the lock again, or say so."""
        if self.new.is_connected():
            return
        log.warning("   the connection to the v2 server was lost during the run; connecting again")
        try:
            self.new = connect(self.config.new, "new", attempts=self.config.retry_attempts,
                               delay=self.config.retry_delay_seconds)
        except ConnectionProblem as e:
            raise RunFailed(f"{e}; run the same command again to resume", EXIT_CONNECTION) from None
        if self.lock:
            acquire_lock(self.new, self.config.new.database)

    def close(self) -> None:
        for conn in (self.old, self.new):
            if conn is not None:
                conn.close()
        self.old = self.new = None
