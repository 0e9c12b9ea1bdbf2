"""config.yaml and mapping.yaml: parsed into typed settings, every bad input one clear error."""
import pytest
import yaml

from driver.config import ConfigError, load_config, parse_url
from driver.mapping import load_mapping

GOOD_URLS = {"old_db_url": "mysql+pymysql://mig:s3cr%40t@db1:3307/old_moh",
             "new_db_url": "mariadb://mig:pw@127.0.0.1/new_moh"}


def write(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return str(path)


def mapping_with(tmp_path, **changes):
    data = yaml.safe_load(open("mapping.example.yaml"))
    data.update(changes)
    return write(tmp_path, "mapping.yaml", data)


@pytest.mark.parametrize("url, host, port, socket, database", [
    ("mysql+pymysql://u:p@h:3307/db", "h", 3307, None, "db"),
    ("mysql://u:p@h/db", "h", 3306, None, "db"),
    ("mariadb://u@h:1/db", "h", 1, None, "db"),
    ("mysql+pymysql://u:p@/old_moh?unix_socket=/run/mysqld/mysqld.sock", "localhost", 3306,
     "/run/mysqld/mysqld.sock", "old_moh"),
])
def test_database_urls(url, host, port, socket, database):
    e = parse_url(url, "old_db_url", "config.yaml")
    assert (e.server.host, e.server.port, e.server.unix_socket, e.database) == (host, port, socket, database)


def test_url_password_is_decoded_and_never_in_repr():
    e = parse_url("mysql://mig:s3cr%40t@h/db?ssl_ca=/ca.pem", "k", "c")
    assert e.server.password == "s3cr@t" and e.server.ssl_ca == "/ca.pem"
    assert "s3cr" not in repr(e) and "s3cr" not in e.describe()


@pytest.mark.parametrize("url, message", [
    ("oracle://u:p@h/db", "scheme"),
    ("mysql://u:p@h", "no database"),
    ("mysql://u:p@h:xx/db", "port"),
    ("mysql://u:p@h/db?sslmode=on", "unknown URL parameter 'sslmode'"),
    ("mysql://:p@h/db", "no user"),
    ("not a url", "not a database URL"),
])
def test_bad_urls(url, message):
    with pytest.raises(ConfigError, match=message):
        parse_url(url, "new_db_url", "config.yaml")


def test_config_defaults_warnings_and_env(tmp_path, monkeypatch):
    monkeypatch.setenv("NEW_PW", "from-env")
    path = write(tmp_path, "config.yaml", {**GOOD_URLS, "new_db_url": "mysql://mig:${NEW_PW}@h/new_moh",
                                           "preserve_audit_fields": True, "max_workers": 4})
    c = load_config(path, batch_size=77)
    assert c.new.server.password == "from-env" and c.batch_size == 77 and c.threads == 4
    assert c.log_pii is False and c.disable_fk_checks is True
    assert c.backup_before_migration is True and c.rollback_on_failure is False
    assert len(c.warnings) == 1 and "preserve_audit_fields has no effect" in c.warnings[0]


@pytest.mark.parametrize("extra, message", [
    ({"colour": "blue"}, "unknown key 'colour'"),
    ({"batch_size": 0}, "batch_size: expected a whole number"),
    ({"log_pii": "yes"}, "log_pii: expected true or false"),
    ({"log_level": "LOUD"}, "log_level"),
    ({"old_db_url": "mysql://u:${NOT_SET_ANYWHERE}@h/db"}, "NOT_SET_ANYWHERE is not set"),
    ({"custom_validation_queries": [{"query": "select 1"}]}, "custom_validation_queries"),
])
def test_bad_config(tmp_path, extra, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, "config.yaml", {**GOOD_URLS, **extra}))


def test_config_files_that_are_missing_or_not_yaml(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="not valid YAML at line"):
        load_config(write(tmp_path, "config.yaml", "a: 1\nb: [\n"))


def test_the_example_mapping_gives_the_projects_defaults(tmp_path):
    m = load_mapping("mapping.example.yaml")
    v = m.dbt_vars
    assert v["roles_staff"] == ["SUPER_ADMIN", "DOCTOR", "NURSE", "SECRETARY", "ADMIN"]
    assert v["enum_remaps"]["visits.status"] == {"WAITING_LIST_TRANSFERRED": "TRANSFERRED"}
    assert v["enum_remaps"]["medical_case_diagnoses.injury_side"] == {"BOTH_SIDES": None}
    assert v["clean_phones"]["enabled"] is False and v["user_model_types"] == ["App\\Models\\User"]
    switched = load_mapping("mapping.example.yaml", phone_normalization=True).dbt_vars
    assert switched["clean_phones"]["enabled"] is True


@pytest.mark.parametrize("changes, message", [
    ({"roles_patients": ["PATIENT", "NURSE"]}, "role NURSE is in both roles_staff and roles_patients"),
    ({"enum_remaps": {"visit.status": {}}}, "unknown table 'visit'"),
    ({"enum_remaps": {"visits.state": {}}}, "unknown column 'state' in table visits"),
    ({"enum_remaps": {"visits.status": {"WAITING_LIST_TRANSFERRED": "PARKED"}}}, "'PARKED' is not a v2 value"),
    ({"enum_remaps": {"visits.status": {"WAITING": "DONE"}}}, "'WAITING' is not a v1 value"),
    ({"enum_remaps": {"icd_entities.class_kind": {"CHAPTER": "chapter", "BLOCK": "block", "CATEGORY": "category"},
                      "medical_case_diagnoses.injury_side": {"BOTH_SIDES": None}}},
     "visits.status value WAITING_LIST_TRANSFERRED has no v2 value"),
    ({"role_aliases": {"dr": "DOKTOR"}}, "neither roles_staff nor roles_patients"),
    ({"carry_transient_tables": ["visits"]}, "visits is not a transient table"),
    ({"phone_normalization": {"enabled": True, "country": "+963"}}, "phone_normalization.country: unknown setting"),
    ({"field_mappings": {"patients": {"blood": "A+"}}}, "unknown column patients.blood"),
    ({"nicknames": {}}, "unknown key 'nicknames'"),
])
def test_bad_mapping(tmp_path, changes, message):
    with pytest.raises(ConfigError, match=message):
        load_mapping(mapping_with(tmp_path, **changes))


def test_environment_defaults_and_the_shipped_example(tmp_path, monkeypatch):
    monkeypatch.delenv("MOH_MIGRATE_UUID_SECRET", raising=False)
    monkeypatch.setenv("OLD_DB_PASSWORD", "o")
    monkeypatch.setenv("NEW_DB_PASSWORD", "n")
    c = load_config("config.example.yaml")
    assert c.patient_uuid_secret == "" and c.old.server.password == "o" and c.new.database == "new_moh"
    assert c.warnings == ()
