"""Interruptions, on a MariaDB server of the test's own (so it can be killed and restarted):
kill -9 while the largest table loads, then the same command again, equals an uninterrupted
run (checksums of all 63 tables and the crosswalks); so does a server restart mid-run. And
that uninterrupted run leaves no personal data in the output directory or on the terminal."""
from __future__ import annotations

import csv
import gzip
import json
import re
import signal
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Env, make_env
from tests.runs import command, config_for, run_cli, wait_for
from tests.servers import started_server

pytestmark = pytest.mark.slow
KILL_PATIENTS = 3000  # enough rows that loading the largest table takes a while
CROSSWALKS = ("old_user_id__to__new_user_id.csv", "old_user_id__to__new_patient_id.csv")


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    yield from started_server(tmp_path_factory.mktemp("mariadb-interruptions"))


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
    # dbt's own logs are kept compressed: read them as they would be read
    assert any(p.name.endswith(".log.gz") for p in files) and any(p.name == "migration.log" for p in files)
    texts = {str(p): (gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()).decode(
        "utf-8", errors="replace") for p in files}
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
