"""--incremental on a real server: after a full run, v1 changes as a live application changes
it (inserts, a bulk UPDATE that leaves updated_at alone, a cascaded delete, a PATIENT who
becomes a DOCTOR, a role change, a patient user who gains a patients row, an orphan), and an
incremental run leaves v2, the crosswalks and exceptions.csv as a fresh full run on the changed
v1 leaves them, except that a patient keeps the UUID it already had. Also: a second
incremental run changes nothing, --rollback undoes one, a kill -9 in the middle of one is
repaired by running it again, it refuses without an earlier successful run, and across two
servers it gives the same v2 as on one."""
from __future__ import annotations

import csv
import json
import signal
import subprocess
from pathlib import Path

import pytest

from driver.db import drop_database
from moh_dev.synthetic import generate
from tests.conftest import Env, make_env
from tests.live_changes import change_v1_like_a_live_application
from tests.runs import command, config_for, last_line, run_cli, wait_for
from tests.servers import started_server

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("incremental")]
PATIENTS = 250
def patient_uuid_of_user(env, user_id: int) -> str:
    rows = env.rows(f"select patient_uuid from `{env.work}`.int_patients_minted where v1_user_id = %s "
                    "and is_primary_for_user", (user_id,))
    assert len(rows) == 1
    return rows[0][0]


def translate_uuid(env, old: str, new: str) -> None:
    """Put `new` where v2 holds `old`, in every text column: the kept UUID read as a fresh full
    run would have minted it, so that the two v2 can be compared by checksum."""
    columns = env.rows("select table_name, column_name from information_schema.columns where table_schema = %s "
                       "and data_type in ('char', 'varchar', 'uuid')", (env.v2,))
    env.execute("set session foreign_key_checks = 0",
                *[f"update `{env.v2}`.`{t}` set `{c}` = '{new}' where `{c}` = '{old}'" for t, c in columns])


def outputs(out: Path, translate: tuple[str, str] | None = None) -> dict[str, list]:
    """The crosswalks and exceptions.csv, sorted, with a kept UUID translated."""
    found = {}
    for name in ("old_user_id__to__new_user_id.csv", "old_user_id__to__new_patient_id.csv", "exceptions.csv"):
        text = (out / "reports" / name).read_text("utf-8")
        if translate:
            text = text.replace(*translate)
        found[name] = sorted(csv.reader(text.splitlines()))
    return found


@pytest.fixture(scope="module")
def fresh(server, tmp_path_factory):
    """A fresh full run on the changed v1: what every incremental run must end as."""
    directory = tmp_path_factory.mktemp("incremental-fresh")
    env = make_env(server, directory, "incr_fresh", patients=PATIENTS)
    change_v1_like_a_live_application(env)
    result = run_cli(config_for(env, directory), "--output-dir", str(directory / "out"))
    assert result.returncode == 0, result.stderr[-3000:]
    yield env, directory / "out"
    env.drop()


@pytest.fixture(scope="module")
def live(server, tmp_path_factory):
    """A full run, then v1 changed: (environment, config, output directory, v2 checksums after
    the full run, what was changed, the patient UUID the gaining user had)."""
    directory = tmp_path_factory.mktemp("incremental-live")
    env = make_env(server, directory, "incr_live", patients=PATIENTS)
    config, out = config_for(env, directory), directory / "out"
    full = run_cli(config, "--output-dir", str(out))
    assert full.returncode == 0, full.stderr[-3000:]
    after_full = env.table_checksums(env.v2)
    changed = change_v1_like_a_live_application(env)
    kept_uuid = patient_uuid_of_user(env, changed["patient_user"])
    yield env, config, out, after_full, changed, kept_uuid
    env.drop()


def assert_same_as_fresh(fresh, env, out: Path, kept_uuid: str, patient_user: int) -> None:
    fresh_env, fresh_out = fresh
    minted = patient_uuid_of_user(fresh_env, patient_user)
    assert patient_uuid_of_user(env, patient_user) == kept_uuid != minted, "the patient keeps its UUID"
    before = env.table_checksums(env.v2)
    translate_uuid(env, kept_uuid, minted)
    try:
        assert env.table_checksums(env.v2) == fresh_env.table_checksums(fresh_env.v2)
    finally:
        translate_uuid(env, minted, kept_uuid)
    assert env.table_checksums(env.v2) == before
    assert outputs(out, (kept_uuid, minted)) == outputs(fresh_out)


def test_incremental_then_rollback_then_killed_and_rerun_then_nothing_to_do(live, fresh):
    env, config, out, after_full, changed, kept_uuid = live

    # 1. the changes, applied: v2 as a fresh full run on the changed v1
    first = run_cli(config, "--incremental", "--output-dir", str(out))
    assert first.returncode == 0, first.stderr[-3000:]
    report = json.loads((out / "validation_report.json").read_text())
    assert report["kind"] == "incremental" and report["status"] == "passed"
    applied = report["applied_changes"]
    assert applied["visits"]["inserted"] == 5 and applied["visits"]["updated"] > 0 and applied["visits"]["deleted"] > 0
    assert applied["users"]["inserted"] == 1  # the new doctor is staff now
    assert applied["doctors"]["inserted"] == 1 and applied["patients"]["deleted"] == 1
    assert sum(c["inserted"] + c["updated"] + c["deleted"] for c in applied.values()) < sum(
        t["loaded_rows"] for t in report["tables"]) / 5, "only the differences are written"
    orphan = env.scalar(f"select count(*) from `{env.work}`.migration_exceptions where table_name = 'visits' "
                        "and reason like '%987654321%'")
    assert orphan == 1
    assert_same_as_fresh(fresh, env, out, kept_uuid, changed["patient_user"])
    after_incremental = env.table_checksums(env.v2)

    # 2. --rollback puts v2 back as the full run left it
    rolled = run_cli(config, "--rollback", "--output-dir", str(out))
    assert rolled.returncode == 0, rolled.stderr[-3000:]
    assert env.table_checksums(env.v2) == after_full

    # 3. killed in the middle of applying, then the same command again: the same v2
    run = subprocess.Popen(command(config, out, "--incremental"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run_id = wait_for(lambda: env.scalar(f"select max(run_id) from `{env.work}`.migration_runs where kind = "
                                         "'incremental' and status = 'running'"), 300, "the incremental run to start")
    wait_for(lambda: env.scalar(f"select count(*) from `{env.work}`.migration_run_models where run_id = {run_id} "
                                "and unique_id in ('model.moh_migrate.countries', 'model.moh_migrate.roles')"),
             300, "the first v2 tables to be brought up to date", interval=0.05)
    run.send_signal(signal.SIGKILL)
    run.wait()
    rerun = run_cli(config, "--incremental", "--output-dir", str(out))
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"resuming run #{run_id}" in rerun.stderr
    assert env.table_checksums(env.v2) == after_incremental
    assert_same_as_fresh(fresh, env, out, kept_uuid, changed["patient_user"])

    # 4. nothing changed in v1 since: nothing is written
    again = run_cli(config, "--incremental", "--output-dir", str(out))
    assert again.returncode == 0, again.stderr[-3000:]
    assert "incremental: 0 rows inserted, 0 updated, 0 deleted in 0 of 55 v2 tables" in again.stderr
    assert env.table_checksums(env.v2) == after_incremental
    history = run_cli(config, "--history", mapping=None)
    kinds = [line.split()[1] for line in history.stdout.splitlines()[3:]]
    assert kinds == ["incremental", "incremental", "incremental", "full"], history.stdout


def test_incremental_without_an_earlier_successful_run_refuses(scratch_env, tmp_path):
    env = scratch_env("incr_none", patients=None)
    before = env.table_checksums(env.v2)
    result = run_cli(config_for(env, tmp_path), "--incremental", "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 4, result.stderr[-2000:]
    assert "--incremental applies what changed in v1 since a successful run" in last_line(result)
    assert "run a full migration first" in last_line(result)
    assert env.table_checksums(env.v2) == before


@pytest.fixture(scope="module")
def old_server(tmp_path_factory):
    yield from started_server(tmp_path_factory.mktemp("mariadb-incremental-old"))


def test_across_two_servers_an_incremental_run_gives_what_a_fresh_run_on_one_gives(server, old_server, fresh,
                                                                                  tmp_path):
    cross = make_env(server, tmp_path / "cross", "incr_cross", patients=None)
    v1 = Env(server=old_server.server, v1="old_moh_incr", v2="", target=None)
    generate(old_server.server, v1.v1, PATIENTS, seed=1)
    try:
        config, out = config_for(cross, tmp_path, old_db=v1.v1, server=old_server.server), tmp_path / "out"
        full = run_cli(config, "--output-dir", str(out))
        assert full.returncode == 0, full.stderr[-3000:]
        changed = change_v1_like_a_live_application(v1)
        kept_uuid = patient_uuid_of_user(cross, changed["patient_user"])
        incremental = run_cli(config, "--incremental", "--output-dir", str(out))
        assert incremental.returncode == 0, incremental.stderr[-3000:]
        assert "copy v1 to" in incremental.stderr  # the landing copy is brought up to date first
        assert_same_as_fresh(fresh, cross, out, kept_uuid, changed["patient_user"])
    finally:
        cross.drop()
        drop_database(old_server.server, v1.v1)
