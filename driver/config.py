"""config.yaml: read once, validated into typed objects. Every problem is a ConfigError whose
message names the file, the key and the fix; nothing deeper reads raw dictionaries."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from driver.db import Server
from driver.pg import SSLMODES, TLS_PARAMETERS, PgServer


class ConfigError(Exception):
    """Bad config or mapping: the message is the one line the user sees."""


@dataclass(frozen=True)
class Endpoint:
    """A database on a server, as a config URL names it."""

    server: Server | PgServer
    database: str
    # PostgreSQL only: the schema of the database that holds the v2 tables
    schema: str = ""

    @property
    def engine(self) -> str:
        """mysql (MySQL or MariaDB) or postgres."""
        return getattr(self.server, "engine", "mysql")

    @property
    def is_postgres(self) -> bool:
        return self.engine == "postgres"

    def describe(self) -> str:
        """Where it is, for messages: never the password."""
        where = self.server.unix_socket or f"{self.server.host}:{self.server.port}"
        name = f"{self.database}.{self.schema}" if self.is_postgres else self.database
        return f"{name} on {where} as {self.server.user}"


URL_SCHEMES = ("mysql", "mariadb")
URL_PARAMETERS = ("unix_socket", "ssl_ca", "ssl_cert", "ssl_key")
PG_SCHEMES = ("postgresql", "postgres")
PG_PARAMETERS = ("schema", "unix_socket", *TLS_PARAMETERS)


def parse_url(url: str, key: str, source: str) -> Endpoint:
    """mysql+pymysql://user:pass@host:port/db (also mysql://, mariadb://, ?unix_socket=, ?ssl_ca=);
    for new_db_url also postgresql://user:pass@host:5432/db (postgresql+psycopg2://, postgres://,
    ?schema=, ?sslmode=, ?sslrootcert=)."""
    postgres_allowed = key == "new_db_url"
    expected = "mysql+pymysql://user:password@host:3306/database" + (
        " or postgresql://user:password@host:5432/database" if postgres_allowed else "")

    def fail(why: str) -> ConfigError:
        return ConfigError(f"{source}: {key}: {why} (expected {expected})")

    if not isinstance(url, str) or "://" not in url:
        raise fail("not a database URL")
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme in PG_SCHEMES and not postgres_allowed:
        raise fail("v1 must be a MySQL or MariaDB database; PostgreSQL is supported for new_db_url only")
    if scheme not in URL_SCHEMES + (PG_SCHEMES if postgres_allowed else ()):
        raise fail(f"scheme {parts.scheme!r} is not mysql or mariadb" + (" or postgresql" if postgres_allowed else ""))
    postgres = scheme in PG_SCHEMES
    if postgres and parts.scheme not in ("postgresql", "postgres", "postgresql+psycopg2", "postgres+psycopg2"):
        raise fail(f"scheme {parts.scheme!r}: the PostgreSQL driver is psycopg2 (postgresql+psycopg2://)")
    known = PG_PARAMETERS if postgres else URL_PARAMETERS
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise fail("no database name after the host")
    params = {}
    for name, values in parse_qs(parts.query, keep_blank_values=True).items():
        if name not in known:
            raise fail(f"unknown URL parameter {name!r} (known: {', '.join(known)})")
        params[name] = values[-1]
    try:
        port = parts.port or (5432 if postgres else 3306)
    except ValueError:
        raise fail("the port is not a number") from None
    if not parts.hostname and "unix_socket" not in params:
        raise fail("no host and no unix_socket parameter")
    if postgres:
        return _pg_endpoint(parts, params, port, database, fail)
    server = Server(
        host=parts.hostname or "localhost",
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        unix_socket=params.get("unix_socket"),
        ssl_ca=params.get("ssl_ca"),
        ssl_cert=params.get("ssl_cert"),
        ssl_key=params.get("ssl_key"),
    )
    if not server.user:
        raise fail("no user name")
    return Endpoint(server=server, database=database)


def _pg_endpoint(parts, params: dict, port: int, database: str, fail) -> Endpoint:
    schema = params.get("schema", "public")
    if not re.fullmatch(r"[a-z_][a-z0-9_$]{0,62}", schema):
        raise fail(f"schema {schema!r}: use a lower-case unquoted PostgreSQL name")
    if params.get("sslmode") and params["sslmode"] not in SSLMODES:
        raise fail(f"sslmode {params['sslmode']!r} is not one of {', '.join(SSLMODES)}")
    server = PgServer(
        host=parts.hostname or "localhost", port=port, user=unquote(parts.username or ""),
        password=unquote(parts.password or ""), database=database, unix_socket=params.get("unix_socket"),
        sslmode=params.get("sslmode") or ("verify-full" if params.get("sslrootcert") else None),
        sslrootcert=params.get("sslrootcert"), sslcert=params.get("sslcert"), sslkey=params.get("sslkey"))
    if not server.user:
        raise fail("no user name")
    return Endpoint(server=server, database=database, schema=schema)


# The seed tool's keys this product acts on, with their defaults.
EFFECTIVE = {
    "batch_size": 5000,
    "bulk_insert_size": 1000,
    "max_workers": 2,
    "retry_attempts": 3,
    "retry_delay_seconds": 2.0,
    "disable_fk_checks": True,
    "backup_before_migration": True,
    "rollback_on_failure": False,
    "validate_after_migration": True,
    "log_pii": False,
    "log_level": "INFO",
    "generate_crosswalks": True,
    "generate_validation_report": True,
    "generate_schema_diff": True,
    "enable_parallel_processing": True,
    "enable_incremental_migration": False,
    "phone_normalization": None,
    "email_validation": None,
    "data_cleaning": None,
    "pre_migration_sql": [],
    "post_migration_sql": [],
    "custom_validation_queries": [],
}
# The seed tool's keys that change nothing here, and why (accepted, with a warning).
NO_EFFECT = {
    "connection_pool_size": "the driver holds one connection per server; dbt uses max_workers",
    "connection_pool_timeout": "the driver holds one connection per server",
    "preserve_audit_fields": "audit fields (created_at, updated_at, deleted_at) are always preserved",
    "enable_data_verification": "verification always runs: dbt tests, checksums and reconciliation",
}
# Keys of this product beyond the seed's.
PRODUCT = {
    "patient_uuid_secret": "",
    "work_schema": "",
    "backup_schema": "",
}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class ValidationQuery:
    name: str
    sql: str


@dataclass(frozen=True)
class Config:
    source: str
    old: Endpoint
    new: Endpoint
    batch_size: int
    bulk_insert_size: int
    max_workers: int
    retry_attempts: int
    retry_delay_seconds: float
    disable_fk_checks: bool
    backup_before_migration: bool
    rollback_on_failure: bool
    validate_after_migration: bool
    log_pii: bool
    log_level: str
    generate_crosswalks: bool
    generate_validation_report: bool
    generate_schema_diff: bool
    enable_parallel_processing: bool
    enable_incremental_migration: bool
    phone_normalization: bool | None
    email_validation: bool | None
    data_cleaning: bool | None
    pre_migration_sql: tuple[str, ...]
    post_migration_sql: tuple[str, ...]
    custom_validation_queries: tuple[ValidationQuery, ...]
    patient_uuid_secret: str
    work_schema: str
    backup_schema: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def threads(self) -> int:
        return self.max_workers if self.enable_parallel_processing else 1

    def passwords(self) -> list[str]:
        return [p for p in (self.old.server.password, self.new.server.password, self.patient_uuid_secret) if p]


def _expand_env(value: str, key: str, source: str) -> str:
    """${NAME} in a value is the environment variable NAME (${NAME:-default} when it may be
    unset): passwords need not sit in the file."""
    def substitute(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        raise ConfigError(f"{source}: {key}: environment variable {name} is not set")
    return re.sub(r"\$\{(\w+)(?::-([^}]*))?\}", substitute, value)


def read_yaml(path: str | Path, what: str) -> dict:
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {what} file") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the {what} file ({e.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected key: value pairs at the top level")
    return data


def _typed(source: str, key: str, value, default):
    if default is None:  # optional switch
        if value is None or isinstance(value, bool):
            return value
        raise ConfigError(f"{source}: {key}: expected true or false, got {value!r}")
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: {key}: expected true or false, got {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{source}: {key}: expected a whole number of at least 1, got {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"{source}: {key}: expected a number of seconds, got {value!r}")
        return float(value)
    if isinstance(default, list):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ConfigError(f"{source}: {key}: expected a list")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{source}: {key}: expected text, got {value!r}")
    return value


def load_config(path: str | Path, *, batch_size: int | None = None) -> Config:
    source = str(path)
    raw = read_yaml(path, "config")
    known = set(EFFECTIVE) | set(NO_EFFECT) | set(PRODUCT) | {"old_db_url", "new_db_url"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown key {unknown[0]!r}; known keys: {', '.join(sorted(known))}")
    for url_key in ("old_db_url", "new_db_url"):
        if url_key not in raw:
            raise ConfigError(f"{source}: {url_key} is missing")
    old = parse_url(_expand_env(str(raw["old_db_url"]), "old_db_url", source), "old_db_url", source)
    new = parse_url(_expand_env(str(raw["new_db_url"]), "new_db_url", source), "new_db_url", source)
    if not new.is_postgres and (old.server.host, old.server.port, old.server.unix_socket, old.database) == \
            (new.server.host, new.server.port, new.server.unix_socket, new.database):
        raise ConfigError(f"{source}: old_db_url and new_db_url name the same database")

    values = {}
    for key, default in {**EFFECTIVE, **PRODUCT}.items():
        values[key] = _typed(source, key, raw[key], default) if key in raw else default
    values["log_level"] = str(values["log_level"]).upper()
    if values["log_level"] not in LOG_LEVELS:
        raise ConfigError(f"{source}: log_level: expected one of {', '.join(LOG_LEVELS)}")
    if batch_size is not None:
        values["batch_size"] = batch_size
    values["patient_uuid_secret"] = _expand_env(values["patient_uuid_secret"], "patient_uuid_secret", source)
    for key in ("pre_migration_sql", "post_migration_sql"):
        if not all(isinstance(s, str) and s.strip() for s in values[key]):
            raise ConfigError(f"{source}: {key}: expected a list of SQL statements")
        values[key] = tuple(values[key])
    values["custom_validation_queries"] = tuple(
        _validation_query(source, i, q) for i, q in enumerate(values["custom_validation_queries"], 1))
    warnings = tuple(f"{source}: {key} has no effect: {why}" for key, why in NO_EFFECT.items() if key in raw)
    if new.is_postgres and raw.get("disable_fk_checks") is True:
        warnings += (f"{source}: disable_fk_checks has no effect on PostgreSQL: the foreign keys stay on "
                     "and the tables load parents first",)
    return Config(source=source, old=old, new=new, warnings=warnings, **values)


def _validation_query(source: str, index: int, query) -> ValidationQuery:
    if isinstance(query, str) and query.strip():
        return ValidationQuery(name=f"custom_validation_{index}", sql=query)
    if isinstance(query, dict) and isinstance(query.get("sql"), str) and set(query) <= {"name", "sql"}:
        return ValidationQuery(name=str(query.get("name") or f"custom_validation_{index}"), sql=query["sql"])
    raise ConfigError(f"{source}: custom_validation_queries[{index}]: expected SQL text or {{name: ..., sql: ...}}")
