"""Connections to MySQL/MariaDB servers, and loading the project's schema fixtures."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

import mysql.connector


@dataclass(frozen=True)
class Server:
    """Where a server answers. The password is never part of repr() or str()."""

    host: str = "127.0.0.1"
    port: int = 3306
    user: str = "root"
    password: str = field(default="", repr=False)
    unix_socket: str | None = None
    ssl_ca: str | None = None
    ssl_cert: str | None = None
    ssl_key: str | None = None

    def tls_options(self) -> dict:
        """TLS as the URL asks for it, as the seed's pymysql URLs behave: ?ssl_ca= turns it on
        and verifies the server's certificate; no ssl_* parameter means a plain connection."""
        options = {name: getattr(self, name) for name in ("ssl_ca", "ssl_cert", "ssl_key") if getattr(self, name)}
        if "ssl_ca" in options:
            options["ssl_verify_cert"] = True
        return options or {"ssl_disabled": True}

    def connect(self, database: str | None = None, **options):
        kwargs = dict(user=self.user, password=self.password, charset="utf8mb4",
                      collation="utf8mb4_unicode_ci", autocommit=True, **options)
        kwargs.update(self.tls_options())
        if self.unix_socket:
            kwargs["unix_socket"] = self.unix_socket
        else:
            kwargs.update(host=self.host, port=self.port)
        if database:
            kwargs["database"] = database
        return mysql.connector.connect(**kwargs)


def schema_ddl(version: str) -> str:
    """The project's own DDL for the v1 or v2 schema (driver/schemas/v1.sql, v2.sql)."""
    if version not in ("v1", "v2"):
        raise ValueError(f"unknown schema version {version!r}; use 'v1' or 'v2'")
    return resources.files("driver").joinpath("schemas", f"{version}.sql").read_text("utf-8")


def split_statements(sql: str) -> list[str]:
    """Statements of a DDL file: comments dropped, split on semicolons at line ends."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*\n", body) if s.strip().rstrip(";").strip()]


def create_database(server: Server, database: str, version: str, *, replace: bool = False) -> None:
    """Create `database` holding the empty v1 or v2 schema."""
    conn = server.connect()
    try:
        cur = conn.cursor()
        if replace:
            cur.execute(f"drop database if exists `{database}`")
        cur.execute(f"create database `{database}` character set utf8mb4 collate utf8mb4_unicode_ci")
        cur.execute(f"use `{database}`")
        for statement in split_statements(schema_ddl(version)):
            cur.execute(statement)
    finally:
        conn.close()


def drop_database(server: Server, database: str) -> None:
    conn = server.connect()
    try:
        conn.cursor().execute(f"drop database if exists `{database}`")
    finally:
        conn.close()
