"""new_db_url may name a PostgreSQL database (v2 only): its URL forms, the schema of the v2
tables, TLS parameters, and where the migration's own schemas go."""
import pytest
import yaml

from driver.config import ConfigError, load_config, parse_url
from driver.tasks.context import Databases


@pytest.mark.parametrize("url, host, port, database, schema", [
    ("postgresql://mig:pw@db2:5433/new_moh", "db2", 5433, "new_moh", "public"),
    ("postgresql+psycopg2://mig@db2/new_moh?schema=app", "db2", 5432, "new_moh", "app"),
    ("postgres://mig:pw@127.0.0.1/new_moh", "127.0.0.1", 5432, "new_moh", "public"),
])
def test_postgres_urls(url, host, port, database, schema):
    e = parse_url(url, "new_db_url", "config.yaml")
    assert e.is_postgres and e.engine == "postgres"
    assert (e.server.host, e.server.port, e.database, e.schema, e.server.database) == (host, port, database, schema, database)


def test_postgres_tls_and_password_never_shown():
    e = parse_url("postgresql://mig:s3cr%40t@h/db?sslrootcert=/ca.pem", "new_db_url", "c")
    assert e.server.password == "s3cr@t" and e.server.sslrootcert == "/ca.pem"
    assert e.server.sslmode == "verify-full"  # a CA given means the certificate is verified
    assert e.server.tls_options() == {"sslmode": "verify-full", "sslrootcert": "/ca.pem"}
    assert "s3cr" not in repr(e) and "s3cr" not in e.describe()
    assert parse_url("postgresql://m@h/db?sslmode=require", "new_db_url", "c").server.sslmode == "require"


@pytest.mark.parametrize("key, url, message", [
    ("old_db_url", "postgresql://u:p@h/db", "v1 must be a MySQL or MariaDB database"),
    ("new_db_url", "postgresql+asyncpg://u:p@h/db", "psycopg2"),
    ("new_db_url", "postgresql://u:p@h/db?ssl_ca=/x", "unknown URL parameter 'ssl_ca'"),
    ("new_db_url", "postgresql://u:p@h/db?sslmode=sometimes", "sslmode"),
    ("new_db_url", "postgresql://u:p@h/db?schema=Bad-Name", "schema"),
    ("new_db_url", "postgresql://:p@h/db", "no user"),
    ("new_db_url", "oracle://u:p@h/db", "is not mysql or mariadb or postgresql"),
])
def test_bad_postgres_urls(key, url, message):
    with pytest.raises(ConfigError, match=message):
        parse_url(url, key, "config.yaml")


def test_the_migrations_schemas_live_in_the_v2_database(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"old_db_url": "mysql://m@h/old_moh", "new_db_url": "postgresql://m@h/new_moh"}))
    d = Databases.of(load_config(path))
    assert (d.v1, d.v2, d.work, d.backup, d.landing) == (
        "old_moh", "public", "new_moh_migrate", "new_moh_backup", "new_moh_v1_landing")
    path.write_text(yaml.safe_dump({"old_db_url": "mysql://m@h/old_moh",
                                    "new_db_url": "postgresql://m@h/new_moh?schema=app"}))
    d = Databases.of(load_config(path))
    assert (d.v2, d.work, d.backup, d.landing) == ("app", "app_migrate", "app_backup", "app_v1_landing")


def test_disable_fk_checks_is_said_to_have_no_effect_on_postgresql(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"old_db_url": "mysql://m@h/old_moh", "new_db_url": "postgresql://m@h/new_moh",
                                    "disable_fk_checks": True}))
    assert any("disable_fk_checks has no effect on PostgreSQL" in w for w in load_config(path).warnings)
    path.write_text(yaml.safe_dump({"old_db_url": "mysql://m@h/old_moh", "new_db_url": "mysql://m@h/new_moh",
                                    "disable_fk_checks": True}))
    assert not load_config(path).warnings
