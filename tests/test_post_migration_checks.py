"""post_migration_checks.sql as a DBA runs it: `mysql <v2> < post_migration_checks.sql` gives one
result set, every check with an expected value, and a verdict; a v2 broken on purpose fails."""
from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

import pytest

from driver.dbt_runner import run_dbt

pytestmark = pytest.mark.xdist_group("migrated")  # reads the session build of test_end_to_end
HEADER = ["check", "expected", "actual", "result"]


def compile_checks(env, work_dir: Path) -> Path:
    """dbt compile renders the analysis, as the driver does; a work dir of its own keeps the
    shared environment's target untouched."""
    target = dataclasses.replace(env.target, work_dir=work_dir)
    result = run_dbt(target, "compile", "--select", "post_migration_checks")
    assert result.ok, result.output[-3000:]
    return work_dir / "target" / "compiled" / "moh_migrate" / "analyses" / "post_migration_checks.sql"


def run_with_mysql_client(env, script: Path) -> list[list[str]]:
    """The script through the mysql client in batch mode; returns every line, split on tabs
    (a result set starts with its header line)."""
    s = env.server
    command = ["mysql", "--batch", "--user", s.user]
    command += ["--socket", s.unix_socket] if s.unix_socket else ["--protocol", "tcp", "--host", s.host,
                                                                   "--port", str(s.port)]
    with script.open() as stdin:
        done = subprocess.run([*command, env.v2], stdin=stdin, capture_output=True, text=True, timeout=600,
                              env={**os.environ, "MYSQL_PWD": s.password})
    assert done.returncode == 0, done.stderr
    return [line.split("\t") for line in done.stdout.splitlines()]


@pytest.fixture(scope="module")
def script(migrated, tmp_path_factory) -> Path:
    env, result = migrated
    assert result.ok, result.output[-3000:]
    return compile_checks(env, tmp_path_factory.mktemp("post_checks"))


def test_one_result_set_every_check_expected_and_all_pass(migrated, script):
    env, _ = migrated
    lines = run_with_mysql_client(env, script)
    assert lines[0] == HEADER and HEADER not in lines[1:], "more than one result set"
    rows, verdict = lines[1:-1], lines[-1]
    kinds = [r[0].split(":")[0] for r in rows]
    assert kinds.count("rows") == 63 and kinds.count("orphans") == 72
    assert kinds.count("duplicates") > 63 and kinds.count("audit") > 0
    assert all(r[1] != "NULL" for r in rows), [r for r in rows if r[1] == "NULL"]
    assert [r for r in rows if r[3] != "PASS"] == []
    counts = {r[0]: int(r[2]) for r in rows if r[0].startswith("rows: ")}
    assert counts["rows: patients"] == env.scalar(f"select count(*) from `{env.v2}`.patients")
    assert counts["rows: migrations"] == env.scalar(f"select count(*) from `{env.v2}`.migrations") > 0
    assert verdict == [f"verdict: checks failed, of {len(rows)}", "0", "0", "ALL PASS"]


def test_a_deleted_parent_row_fails_its_checks_and_the_verdict(migrated, script):
    """A doctor deleted behind the foreign keys' back: its row count and the orphan check of
    every table pointing at it fail. The shared environment is put back afterwards."""
    env, _ = migrated
    doctor = env.scalar(f"select min(doctor_id) from `{env.v2}`.appointments")
    before = env.table_checksums(env.v2)
    saved = f"`{env.work}`.`_test_saved_doctor`"
    env.execute(f"drop table if exists {saved}",
                f"create table {saved} as select * from `{env.v2}`.doctors where id = {doctor}")
    try:
        env.execute("set session foreign_key_checks = 0", f"delete from `{env.v2}`.doctors where id = {doctor}")
        lines = run_with_mysql_client(env, script)
    finally:
        env.execute("set session foreign_key_checks = 0",
                    f"insert into `{env.v2}`.doctors select * from {saved}", f"drop table {saved}")
    assert env.table_checksums(env.v2) == before
    assert lines[0] == HEADER and HEADER not in lines[1:]
    rows, verdict = lines[1:-1], lines[-1]
    failed = {r[0]: r for r in rows if r[3] == "FAIL"}
    assert "rows: doctors" in failed and int(failed["rows: doctors"][2]) == int(failed["rows: doctors"][1]) - 1
    orphans = failed["orphans: appointments.doctor_id -> doctors.id"]
    assert orphans[1] == "0" and int(orphans[2]) > 0
    assert all(r[3] == "PASS" for r in rows if r[0] not in failed)
    assert verdict[1:] == ["0", str(len(failed)), f"{len(failed)} FAILED"]
