"""Safety, proven by breaking things on purpose on a MariaDB server of the test's own (so it can
be killed and restarted): backup and rollback, resume after kill -9 and after a server restart,
one run at a time, TLS, and no personal data in anything a run leaves behind."""
from __future__ import annotations

import csv
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import TEST_SECRET, Env, make_env
from tests.servers import TempServer, started_server
from tests.test_cli import config_for, run_cli

PATIENTS = 300
KILL_PATIENTS = 3000  # enough rows that loading the largest table takes a while
CROSSWALKS = ("old_user_id__to__new_user_id.csv", "old_user_id__to__new_patient_id.csv")


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    yield from started_server(tmp_path_factory.mktemp("mariadb-safety"))


@pytest.fixture
def own_env(own_server, tmp_path):
    """Environments on the test's own server, dropped afterwards."""
    envs = []

    def factory(name: str, patients: int | None) -> Env:
        envs.append(make_env(own_server.server, tmp_path, name, patients=patients))
        return envs[-1]

    yield factory
    for env in envs:
        env.drop()


@pytest.fixture(scope="module")
def reference(own_server, tmp_path_factory):
    """An uninterrupted run of KILL_PATIENTS patients: what every interrupted run must end as."""
    directory = tmp_path_factory.mktemp("reference")
    env = make_env(own_server.server, directory, "ref", patients=KILL_PATIENTS)
    result = run_cli(config_for(env, directory), "--output-dir", str(directory / "out"))
    assert result.returncode == 0, result.stderr
    yield env, directory / "out", result
    env.drop()


def command(config: Path, out: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "driver.cli", "--config", str(config), "--mapping", "mapping.example.yaml",
            "--output-dir", str(out), *args]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def largest_migrated_table(env) -> str:
    """The v2 table that receives the most rows (by its v1 row count)."""
    counts = {t: env.scalar(f"select count(*) from `{env.v1}`.`{t}`")
              for (t,) in env.rows("select table_name from information_schema.tables where table_schema = %s",
                                   (env.v1,)) if t not in ("users", "migrations")}
    return max(counts, key=counts.get)


def loading(env, table: str):
    """Whether an INSERT into the v2 table is running right now."""
    return env.scalar("select count(*) from information_schema.processlist where id <> connection_id() and info like %s",
                      (f"%insert into `{env.v2}`.`{table}`%",))


def crosswalks(out: Path) -> dict[str, bytes]:
    return {name: (out / "reports" / name).read_bytes() for name in CROSSWALKS}


def assert_same_as(reference, env, out: Path) -> None:
    """v2 and the crosswalks equal the uninterrupted reference run's."""
    ref_env, ref_out, _ = reference
    assert env.table_checksums(env.v2) == ref_env.table_checksums(ref_env.v2)
    assert crosswalks(out) == crosswalks(ref_out)


def last_line(result) -> str:
    return result.stderr.strip().splitlines()[-1]


def seed_v2_application(env) -> None:
    """What the v2 application seeds in new_moh before any migration, in tables the run replaces."""
    env.execute(f"insert into `{env.v2}`.roles (id, name, guard_name, code, standard) values "
                "(1, 'Super Admin', 'web', 'SUPER_ADMIN', 1), (2, 'Receptionist', 'web', 'RECEPTION', 1)",
                f"insert into `{env.v2}`.countries (id, publish, name, iso2, iso3, phone_number_code) values "
                "(1, 1, 'Syria', 'SY', 'SYR', '+963')")


# --- backup and rollback ---------------------------------------------------------------------

def test_rollback_after_success_restores_the_rows_the_v2_application_had_seeded(own_env, tmp_path):
    env = own_env("rb_ok", patients=PATIENTS)
    seed_v2_application(env)
    before = env.table_checksums(env.v2)
    config, out = config_for(env, tmp_path), tmp_path / "out"

    refused = run_cli(config, "--output-dir", str(out))
    assert refused.returncode == 4
    assert "v2 tables hold rows this tool did not write" in last_line(refused)
    assert "countries (1 rows)" in last_line(refused) and "roles (2 rows)" in last_line(refused)
    assert "--replace-existing" in last_line(refused)
    assert env.table_checksums(env.v2) == before

    done = run_cli(config, "--replace-existing", "--output-dir", str(out))
    assert done.returncode == 0, done.stderr
    assert re.search(rf"backup of 55 v2 tables \(3 rows, [\d.]+ MB\) in {env.v2}_backup", done.stderr)
    assert env.table_checksums(env.v2) != before

    rolled = run_cli(config, "--rollback", "--output-dir", str(out))
    assert rolled.returncode == 0, rolled.stderr
    assert env.table_checksums(env.v2) == before
    assert env.scalar(f"select name from `{env.v2}`.roles where id = 1") == "Super Admin"

    again = run_cli(config, "--rollback", "--output-dir", str(out))
    assert again.returncode == 4 and "was already rolled back" in last_line(again)


def test_rollback_refuses_when_there_is_no_backup(own_env, tmp_path):
    env = own_env("rb_none", patients=None)
    config, out = config_for(env, tmp_path, backup_before_migration=False), tmp_path / "out"
    nothing = run_cli(config, "--rollback", "--output-dir", str(out))
    assert nothing.returncode == 4 and "nothing to roll back: no moh-migrate run is recorded" in last_line(nothing)
    assert run_cli(config, "--output-dir", str(out)).returncode == 0
    no_backup = run_cli(config, "--rollback", "--output-dir", str(out))
    assert no_backup.returncode == 4 and "took no backup" in last_line(no_backup)


def test_a_failed_dbt_test_is_named_and_v2_is_restorable(own_env, tmp_path):
    env = own_env("rb_fail", patients=PATIENTS)
    before = env.table_checksums(env.v2)
    # a v2 trigger that alters rows as they load: the content checksum of symptoms catches it
    trigger = (f"create trigger if not exists `{env.v2}`.mangle before insert on `{env.v2}`.symptoms "
               "for each row set new.title = concat(new.title, '!')")
    config, out = config_for(env, tmp_path, pre_migration_sql=[trigger]), tmp_path / "out"
    failed = run_cli(config, "--output-dir", str(out))
    assert failed.returncode == 1
    assert "same_content_as_v1_symptoms" in last_line(failed) and "(1 rows)" in last_line(failed)
    assert env.table_checksums(env.v2) != before

    rolled = run_cli(config, "--rollback", "--output-dir", str(out))
    assert rolled.returncode == 0, rolled.stderr
    assert env.table_checksums(env.v2) == before

    # rollback_on_failure: the run puts v2 back by itself
    config = config_for(env, tmp_path, pre_migration_sql=[trigger], rollback_on_failure=True)
    restored = run_cli(config, "--output-dir", str(out))
    assert restored.returncode == 1
    assert last_line(restored).endswith("v2 was restored from the backup")
    assert env.table_checksums(env.v2) == before


def test_without_disable_fk_checks_the_v2_foreign_keys_hold_during_the_load_and_a_rerun_works(own_env, tmp_path):
    env = own_env("fk_on", patients=PATIENTS)
    config = config_for(env, tmp_path, disable_fk_checks=False)
    first = run_cli(config, "--output-dir", str(tmp_path / "first"))
    assert first.returncode == 0, first.stderr
    after_first = env.table_checksums(env.v2)
    # a re-run replaces parents while children still point at them
    second = run_cli(config, "--output-dir", str(tmp_path / "second"))
    assert second.returncode == 0, second.stderr
    assert env.table_checksums(env.v2) == after_first
    # a v2 trigger that points one appointment at a patient who does not exist: with the
    # foreign keys on, the load itself refuses it (with them off, only the tests would)
    trigger = (f"create trigger if not exists `{env.v2}`.stray before insert on `{env.v2}`.appointments "
               "for each row set new.patient_id = if(new.id = 1, '00000000-0000-4000-8000-000000000000', "
               "new.patient_id)")
    stray = run_cli(config_for(env, tmp_path, disable_fk_checks=False, pre_migration_sql=[trigger]),
                    "--output-dir", str(tmp_path / "third"))
    assert stray.returncode == 1
    assert "model appointments failed" in last_line(stray) and "foreign key constraint fails" in last_line(stray)


# --- interruptions ---------------------------------------------------------------------------

def test_kill_9_while_loading_the_largest_table_then_rerun_equals_an_uninterrupted_run(own_env, reference, tmp_path):
    env = own_env("kill", patients=KILL_PATIENTS)
    table = largest_migrated_table(env)
    config, out = config_for(env, tmp_path), tmp_path / "out"
    run = subprocess.Popen(command(config, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: loading(env, table), 300, f"the load of {table}")
    run.send_signal(signal.SIGKILL)
    run.wait()
    # dbt dies with the driver: its load is rolled back and nothing keeps writing
    wait_for(lambda: not loading(env, table), 60, "the killed load to go away", interval=0.2)
    assert env.scalar(f"select status from `{env.work}`.migration_runs") == "running"

    rerun = run_cli(config, "--output-dir", str(out))
    assert rerun.returncode == 0, rerun.stderr
    assert "resuming run #1" in rerun.stderr
    report = json.loads((out / "validation_report.json").read_text())
    assert report["run"]["resumed"] and report["run"]["models_kept_from_interrupted_attempt"] > 0
    assert report["status"] == "passed"
    assert_same_as(reference, env, out)


def test_a_server_restart_mid_run_fails_cleanly_and_the_rerun_completes(own_server, own_env, reference, tmp_path):
    env = own_env("restart", patients=KILL_PATIENTS)
    table = largest_migrated_table(env)
    config, out = config_for(env, tmp_path, retry_attempts=10, retry_delay_seconds=1), tmp_path / "out"
    run = subprocess.Popen(command(config, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: loading(env, table), 300, f"the load of {table}")
    own_server.stop(kill=True)
    own_server.start()
    _, stderr = run.communicate(timeout=300)
    assert run.returncode not in (0, 5), stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("error: ")

    rerun = run_cli(config, "--output-dir", str(out))
    assert rerun.returncode == 0, rerun.stderr
    assert_same_as(reference, env, out)


def test_a_second_run_at_the_same_time_exits_at_once_and_the_first_completes(own_env, tmp_path):
    env = own_env("lock", patients=PATIENTS)
    config = config_for(env, tmp_path)
    first = subprocess.Popen(command(config, tmp_path / "first"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    wait_for(lambda: env.scalar("select is_used_lock(%s)", (f"moh-migrate:{env.v2}",)), 120, "the first run's lock")
    started = time.monotonic()
    second = run_cli(config, "--output-dir", str(tmp_path / "second"))
    assert time.monotonic() - started < 30
    assert second.returncode == 6
    assert f"another moh-migrate run is working on {env.v2}" in last_line(second)
    _, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr


# --- TLS -------------------------------------------------------------------------------------

def make_certificates(directory: Path) -> Path:
    """A CA and a server certificate it signed, made by openssl; returns the CA's file."""
    directory.mkdir(parents=True, exist_ok=True)

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=moh-migrate test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server-key.pem", "-out", "server-req.pem",
            "-subj", "/CN=127.0.0.1")
    openssl("x509", "-req", "-in", "server-req.pem", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
            "-out", "server-cert.pem", "-days", "2")
    return directory / "ca.pem"


def test_a_tls_only_server_works_with_ssl_ca_and_fails_clearly_without(tmp_path_factory, tmp_path):
    directory = tmp_path_factory.mktemp("mariadb-tls")
    ca = make_certificates(directory / "certs")
    tls = TempServer(directory, ssl_ca=str(ca))
    tls.install()
    tls.start(f"--ssl-ca={ca}", f"--ssl-cert={directory / 'certs/server-cert.pem'}",
              f"--ssl-key={directory / 'certs/server-key.pem'}", "--require-secure-transport=ON")
    try:
        env = make_env(tls.server, tmp_path, "tls", patients=PATIENTS)

        def config(with_ca: bool) -> Path:
            query = f"?ssl_ca={ca}" if with_ca else ""
            data = {"old_db_url": f"mysql://root@127.0.0.1:{tls.port}/{env.v1}{query}",
                    "new_db_url": f"mysql://root@127.0.0.1:{tls.port}/{env.v2}{query}",
                    "patient_uuid_secret": TEST_SECRET, "retry_attempts": 1}
            path = tmp_path / ("with-ca" if with_ca else "without") / "config.yaml"
            path.parent.mkdir(exist_ok=True)
            path.write_text(yaml.safe_dump(data))
            return path

        refused = run_cli(config(False), "--output-dir", str(tmp_path / "out-plain"))
        assert refused.returncode == 3
        assert last_line(refused) == (f"error: old: 127.0.0.1:{tls.port} accepts only TLS connections: "
                                      "add ?ssl_ca=/path/to/ca.pem to old_db_url")

        done = run_cli(config(True), "--output-dir", str(tmp_path / "out-tls"))
        assert done.returncode == 0, done.stderr
        assert env.scalar(f"select count(*) from `{env.v2}`.patients") >= PATIENTS
    finally:
        tls.stop()


# --- personal data ---------------------------------------------------------------------------

def personal_values(env) -> set[str]:
    """Names, phones, national numbers, e-mails and password hashes of the v1 people."""
    values = set()
    for column in ("first_name", "last_name", "father_name", "mother_name", "phone_number", "email", "password"):
        values |= {v for (v,) in env.rows(f"select distinct `{column}` from `{env.v1}`.users where `{column}` is not null")}
    values |= {v for (v,) in env.rows(f"select distinct national_number from `{env.v1}`.patients "
                                      "where national_number is not null")}
    values |= {v for (v,) in env.rows(f"select distinct phone_number from `{env.v1}`.verification_codes "
                                      "where phone_number is not null")}
    return {v for v in values if len(v.strip()) >= 4}


def test_no_personal_data_in_the_output_directory_or_the_terminal(reference):
    env, out, result = reference
    values = personal_values(env)
    assert len(values) > 1000
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name == "dbt.log" for p in files) and any(p.name == "migration.log" for p in files)
    texts = {str(p): p.read_text("utf-8", errors="replace") for p in files}
    texts["terminal"] = result.stdout + result.stderr
    # the patient crosswalk holds ids only: three columns of digits and UUIDs
    with (out / "reports/old_user_id__to__new_patient_id.csv").open(newline="") as f:
        rows = list(csv.reader(f))[1:]
    assert rows and all(re.fullmatch(r"\d*", a) and re.fullmatch(r"\d*", b) and (a or b) and len(c) == 36 for a, b, c in rows)
    words = re.compile(r"[\w@+.\-$/]+")
    for where, text in texts.items():
        found = set(words.findall(text)) & values
        assert not found, f"{where} holds personal data ({len(found)} values)"
        for value in values:
            if not words.fullmatch(value):  # a value the word pattern would split, such as '00963 9..'
                assert value not in text, f"{where} holds personal data"
