"""Plain `dbt build`, run without the driver (README: "Running dbt directly"), refuses what the
driver refuses: v2 rows that no load of this project left there, unless var
replace_foreign_rows says so, and a v1_schema that is not there, in one line naming the var.
One small environment, its state carried from step to step (each full build costs ~30 s)."""
from __future__ import annotations

import shutil

import pytest

from driver.dbt_runner import PROJECT_DIR, run_dbt
from driver.errors import EXIT_PREFLIGHT
from driver.project import table_dispositions
from tests.conftest import make_env

pytestmark = pytest.mark.slow
MIGRATED = sorted(t for t, d in table_dispositions().items() if d == "migrated")
FOREIGN_ROLE = 900  # a role the v2 application seeded: no v1 role has this id


@pytest.fixture(scope="module")
def env(server, tmp_path_factory):
    env = make_env(server, tmp_path_factory.mktemp("plaindbt"), "plaindbt", patients=50)
    yield env
    env.drop()


def v2_rows(env) -> dict[str, int]:
    return {t: env.scalar(f"select count(*) from `{env.v2}`.`{t}`") for t in MIGRATED}


def test_a_v1_schema_that_is_not_there_is_one_line_naming_the_var(env):
    env.target.v1_database = f"{env.v1}_typo"
    try:
        result = run_dbt(env.target, "build", json_log=True)
    finally:
        env.target.v1_database = env.v1

    assert result.returncode != 0
    assert result.results == []  # stopped before any node
    failure = result.failure("build")
    assert failure.code == EXIT_PREFLIGHT
    assert str(failure) == (f"v1_schema '{env.v1}_typo' is not a database on this server, or not one this account "
                            "may read (var v1_schema); name the v1 database, e.g. dbt build --vars '{v1_schema: old_moh}'")
    assert "doesn't exist" not in result.output
    assert sum(v2_rows(env).values()) == 0


def test_plain_dbt_replaces_only_its_own_rows_unless_told(env, tmp_path):
    env.execute(f"insert into `{env.v2}`.roles (id, name, guard_name, code, standard) "
                f"values ({FOREIGN_ROLE}, 'Receptionist', 'web', 'RECEPTION', 1)")
    before = env.table_checksums(env.v2)

    # a row no run loaded: refused before anything is written, the table named with its rows
    refused = run_dbt(env.target, "build", json_log=True)
    assert refused.returncode != 0 and refused.results == []
    failure = refused.failure("build")
    assert failure.code == EXIT_PREFLIGHT
    assert str(failure).startswith("v2 tables hold rows that no run of this project loaded (or that changed since): "
                                   "roles (1 rows); nothing was written. To replace them, set var replace_foreign_rows: true")
    assert env.table_checksums(env.v2) == before

    # told to: replaced
    env.target.extra_vars = {"replace_foreign_rows": True}
    try:
        replaced = env.dbt("build")
    finally:
        env.target.extra_vars = {}
    assert replaced.ok, replaced.output[-3000:]
    assert env.scalar(f"select count(*) from `{env.v2}`.roles where id = {FOREIGN_ROLE}") == 0
    loaded = v2_rows(env)
    assert loaded["roles"] > 0 and loaded["patients"] > 0

    # its own rows are not foreign: a second plain build replaces them without being told
    again = env.dbt("build")
    assert again.ok, again.output[-3000:]
    assert v2_rows(env) == loaded

    # the materialization refuses by itself, also where the on-run-start check did not run
    project = tmp_path / "project"
    project.mkdir()
    for part in ("dbt_project.yml", "models", "macros", "tests/dbt"):
        source = PROJECT_DIR / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / part)
    yml = project / "dbt_project.yml"
    yml.write_text(yml.read_text().replace('  - "{{ refuse_foreign_v2_rows() }}"\n', ""))
    env.target.project_dir = project
    env.execute(f"update `{env.v2}`.countries set name = concat(name, ' (edited)') where id = "
                f"(select min(id) from (select id from `{env.v2}`.countries) as c)")
    edited = env.table_checksums(env.v2)
    try:
        alone = env.dbt("run", "--select", "countries", "roles")
    finally:
        env.target.project_dir = PROJECT_DIR
    status = {r["unique_id"].split(".")[-1]: r for r in alone.results}
    assert status["roles"]["status"] == "success"
    assert status["countries"]["status"] == "error"
    assert (f"MOH-REFUSED: v2 table `{env.v2}`.`countries` holds {loaded['countries']} rows, not what this project's "
            "last load left there; to replace them, set var replace_foreign_rows: true") in status["countries"]["message"]
    assert env.table_checksums(env.v2)["countries"] == edited["countries"]
