"""PostgreSQL as the v2 server: where it answers, how the driver connects to it, and the
project's own PostgreSQL DDL of v2 (driver/schemas/v2_postgres.sql). v1 is always MySQL/MariaDB;
v2's tables live in one schema of a PostgreSQL database (public unless ?schema= says otherwise)
and the migration's own schemas (work, backup, landing) are schemas of the same database."""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

ENGINE = "postgres"
TLS_PARAMETERS = ("sslmode", "sslrootcert", "sslcert", "sslkey")
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


@dataclass(frozen=True)
class PgServer:
    """A PostgreSQL server and the database the run uses on it. The password is never part of
    repr() or str()."""

    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = field(default="", repr=False)
    database: str = "postgres"
    unix_socket: str | None = None  # a socket directory (libpq's host=/run/postgresql)
    sslmode: str | None = None
    sslrootcert: str | None = None
    sslcert: str | None = None
    sslkey: str | None = None
    engine: str = ENGINE

    # The MySQL Server's TLS names, so that code reading either kind of server finds them.
    @property
    def ssl_ca(self) -> str | None:
        return self.sslrootcert

    @property
    def ssl_cert(self) -> str | None:
        return self.sslcert

    def tls_options(self) -> dict:
        return {name: getattr(self, name) for name in TLS_PARAMETERS if getattr(self, name)}

    def connect_kwargs(self, database: str | None = None) -> dict:
        kwargs = dict(user=self.user, password=self.password, dbname=database or self.database,
                      host=self.unix_socket or self.host, port=self.port,
                      application_name="moh-migrate", **self.tls_options())
        return kwargs

    def connect_driver(self, database: str | None = None) -> "PgConnection":
        """A connection for the driver's own SQL (run lock, run record, backup, reports)."""
        return PgConnection(self.connect(database))

    def connect(self, database: str | None = None, *, autocommit: bool = True, **options):
        """A psycopg2 connection, autocommit unless asked otherwise, with the session settings
        every connection of the run has: UTC (timestamps are never shifted) and UTF-8."""
        import psycopg2

        conn = psycopg2.connect(**self.connect_kwargs(database), **options)
        conn.autocommit = autocommit
        with conn.cursor() as cur:
            cur.execute("set time zone 'UTC'; set client_encoding = 'UTF8'")
        if not autocommit:
            conn.commit()
        return conn


def schema_ddl() -> str:
    """The project's own PostgreSQL DDL of v2, as Laravel's PostgreSQL grammar creates it."""
    return resources.files("driver").joinpath("schemas", "v2_postgres.sql").read_text("utf-8")


def create_v2_schema(server: PgServer, database: str, schema: str = "public", *, replace: bool = True) -> None:
    """Create (or recreate) `database` on the server with the empty v2 tables in `schema`."""
    from driver.db import split_statements

    admin = server.connect("postgres")
    try:
        with admin.cursor() as cur:
            if replace:
                cur.execute(f'drop database if exists "{database}" with (force)')
            cur.execute(f"select 1 from pg_database where datname = %s", (database,))
            if not cur.fetchone():
                cur.execute(f"create database \"{database}\" encoding 'UTF8' template template0")
    finally:
        admin.close()
    conn = server.connect(database, autocommit=False)
    try:
        with conn.cursor() as cur:
            cur.execute(f'create schema if not exists "{schema}"')
            cur.execute(f'set search_path to "{schema}"')
            for statement in split_statements(schema_ddl()):
                cur.execute(statement)
        conn.commit()
    finally:
        conn.close()


def drop_database(server: PgServer, database: str) -> None:
    admin = server.connect("postgres")
    try:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{database}" with (force)')
    finally:
        admin.close()


def is_postgres(conn) -> bool:
    """Whether a driver connection is to PostgreSQL (a PgConnection) rather than MySQL."""
    return getattr(conn, "engine", "mysql") == ENGINE


class PgCursor:
    """The part of mysql-connector's cursor the driver uses, over a psycopg2 cursor. The
    driver's SQL quotes names with backticks: they are PostgreSQL's double quotes here (its SQL
    holds no backtick inside a string)."""

    def __init__(self, cursor, dictionary: bool = False):
        self._cur, self._dictionary = cursor, dictionary

    def execute(self, sql, params=None):
        if isinstance(sql, bytes):
            sql = sql.decode("utf-8")
        self._cur.execute(sql.replace("`", '"'), params)

    def executemany(self, sql, seq):
        self._cur.executemany(sql.replace("`", '"'), seq)

    def _row(self, row):
        if row is None or not self._dictionary:
            return row
        return {d.name: v for d, v in zip(self._cur.description, row)}

    def fetchone(self):
        return self._row(self._cur.fetchone())

    def fetchall(self):
        return [self._row(r) for r in self._cur.fetchall()]

    def fetchmany(self, size):
        return [self._row(r) for r in self._cur.fetchmany(size)]

    @property
    def rowcount(self):
        return self._cur.rowcount

    @property
    def with_rows(self):
        return self._cur.description is not None

    @property
    def description(self):
        return self._cur.description

    def close(self):
        self._cur.close()


class PgConnection:
    """A psycopg2 connection with the interface of mysql-connector's the driver uses:
    autocommit unless in start_transaction() ... commit()/rollback()."""

    engine = ENGINE

    def __init__(self, raw):
        self.raw = raw

    def cursor(self, buffered=None, dictionary=False, raw=None):
        return PgCursor(self.raw.cursor(), dictionary)

    def start_transaction(self):
        self.raw.autocommit = False

    def commit(self):
        self.raw.commit()
        self.raw.autocommit = True

    def rollback(self):
        self.raw.rollback()
        self.raw.autocommit = True

    def is_connected(self) -> bool:
        if self.raw.closed:
            return False
        try:
            with self.raw.cursor() as cur:
                cur.execute("select 1")
            return True
        except Exception:  # noqa: BLE001
            return False

    def close(self):
        if not self.raw.closed:
            self.raw.close()
