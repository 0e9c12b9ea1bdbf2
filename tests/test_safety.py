"""Safety, proven by breaking things on purpose: backup and rollback (by --rollback and by
rollback_on_failure), refusing to replace rows this tool did not write, the v2 foreign keys
held during the load, and one run at a time. Interruptions (kill -9, a server restart) are in
test_interruptions.py, TLS in test_tls.py."""
from __future__ import annotations

import json
import re
import subprocess
import time

import pytest

from tests.runs import command, config_for, last_line, run_cli, wait_for

pytestmark = pytest.mark.slow
XDIST_EACH_TEST = True  # no module fixtures: each test may run on any worker (tests/conftest.py)
PATIENTS = 300


def seed_v2_application(env) -> None:
    """What the v2 application seeds in new_moh before any migration, in tables the run replaces."""
    env.execute(f"insert into `{env.v2}`.roles (id, name, guard_name, code, standard) values "
                "(1, 'Super Admin', 'web', 'SUPER_ADMIN', 1), (2, 'Receptionist', 'web', 'RECEPTION', 1)",
                f"insert into `{env.v2}`.countries (id, publish, name, iso2, iso3, phone_number_code) values "
                "(1, 1, 'Syria', 'SY', 'SYR', '+963')")


# --- backup and rollback ---------------------------------------------------------------------

def test_rollback_after_success_restores_the_rows_the_v2_application_had_seeded(scratch_env, tmp_path):
    env = scratch_env("rb_ok", patients=PATIENTS)
    seed_v2_application(env)
    before = env.table_checksums(env.v2)
    config, out = config_for(env, tmp_path), tmp_path / "out"

    refused = run_cli(config, "--output-dir", str(out))
    assert refused.returncode == 4
    assert "v2 tables hold rows this tool did not write" in last_line(refused)
    # report.html after every invocation: a refused run says so, with its one line
    page = (out / "report.html").read_text("utf-8")
    assert 'class="verdict refused"' in page and "v2 tables hold rows this tool did not write" in page
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
    page = (out / "report.html").read_text("utf-8")
    assert 'class="verdict rolled_back"' in page and 'id="table-rows"' not in page
    assert '<tr data-run="1">' in page and "rolled back" in page

    again = run_cli(config, "--rollback", "--output-dir", str(out))
    assert again.returncode == 4 and "was already rolled back" in last_line(again)


def test_rollback_refuses_when_no_run_is_recorded(scratch_env, tmp_path):
    # a run without a backup, then --rollback: test_grants (no-backup)
    env = scratch_env("rb_none", patients=None)
    nothing = run_cli(config_for(env, tmp_path), "--rollback", "--output-dir", str(tmp_path / "out"))
    assert nothing.returncode == 4 and "nothing to roll back: no moh-migrate run is recorded" in last_line(nothing)


def test_a_failed_dbt_test_is_named_and_v2_is_restorable(scratch_env, tmp_path):
    env = scratch_env("rb_fail", patients=PATIENTS)
    before = env.table_checksums(env.v2)
    # a v2 trigger that alters rows as they load: the content checksum of symptoms catches it
    trigger = (f"create trigger if not exists `{env.v2}`.mangle before insert on `{env.v2}`.symptoms "
               "for each row set new.title = concat(new.title, '!')")
    config, out = config_for(env, tmp_path, pre_migration_sql=[trigger]), tmp_path / "out"
    failed = run_cli(config, "--output-dir", str(out))
    assert failed.returncode == 1
    assert "migration failed: 1 dbt tests failed: same_content_as_v1_symptoms_ref_stg_v1__symptoms_ (1 rows)" \
        in last_line(failed)
    assert json.loads((out / "validation_report.json").read_text())["status"] == "failed"
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


def test_without_disable_fk_checks_the_v2_foreign_keys_hold_during_the_load_and_a_rerun_works(scratch_env, tmp_path):
    env = scratch_env("fk_on", patients=PATIENTS)
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


# --- one run at a time ------------------------------------------------------------------------

def test_a_second_run_at_the_same_time_exits_at_once_and_the_first_completes(scratch_env, tmp_path):
    env = scratch_env("lock", patients=PATIENTS)
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
