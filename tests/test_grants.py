"""Least privilege, per option: an account that holds exactly the README's grants for the options
chosen can run every documented combination and roll it back, and one that lacks an option's
grant is stopped by the pre-flight, before any write, with the grant and the option named. The
grants are read from the README itself, so the README stays true."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import RUN_ID, make_env
from tests.test_cli import config_for, run_cli

PASSWORD = "Least-priv-4471!"
README = Path(__file__).resolve().parent.parent / "README.md"
HOSTS = ("%", "localhost")


def readme_grants() -> dict[str, list[str]]:
    """The README's GRANT block (step 2 of the usage), by the option each part is for."""
    text = README.read_text("utf-8")
    block = text[text.index("2. An account for the migration."):]
    block = block[block.index("```sql") + len("```sql"):block.index("```", block.index("```sql") + 6)]
    sections: dict[str, list[str]] = {}
    current = None
    for line in (ln.strip() for ln in block.splitlines()):
        if line.startswith("-- "):
            current = line[3:].split(" (")[0]
            sections[current] = []
        elif line:
            sections[current].append(line.rstrip(";"))
    return sections


def escaped(database: str) -> str:
    return database.replace("_", "\\_")


@pytest.fixture(scope="module")
def env(server, tmp_path_factory):
    env = make_env(server, tmp_path_factory.mktemp("grants"), "grants", patients=40)
    yield env
    env.drop()


@pytest.fixture
def account(env):
    """A factory: the migration account with exactly the README's blocks for `options`."""
    user = f"t{RUN_ID}_mig"
    grants = readme_grants()

    def make(*options: str) -> str:
        for host in HOSTS:
            env.execute(f"drop user if exists '{user}'@'{host}'")
        for option in ("every real run", *options):
            for statement in grants[option]:
                for host in HOSTS:  # a TCP login from 127.0.0.1 may be matched as localhost
                    env.execute(statement.replace("'migrator'@'%'", f"'{user}'@'{host}'")
                                .replace("'...'", f"'{PASSWORD}'").replace("new\\_moh", escaped(env.v2))
                                .replace("old_moh", env.v1).replace("new_moh", env.v2))
        return user

    yield make
    for host in HOSTS:
        env.execute(f"drop user if exists '{user}'@'{host}'")


def test_the_readme_documents_a_block_per_option():
    assert set(readme_grants()) == {"every real run", "backup_before_migration: true",
                                    "disable_fk_checks: false", "v1 on another server: the landing copy on the v2 server"}


@pytest.mark.parametrize("options, config", [
    (("backup_before_migration: true",), {}),
    ((), {"backup_before_migration": False}),
    (("backup_before_migration: true", "disable_fk_checks: false"), {"disable_fk_checks": False}),
], ids=["defaults", "no-backup", "fk-checks-on"])
def test_each_documented_option_runs_and_rolls_back_with_exactly_the_readme_grants(env, account, tmp_path, options,
                                                                                  config):
    user = account(*options)
    settings = config_for(env, tmp_path, user=user, password=PASSWORD, **config)
    before = env.table_checksums(env.v2)
    result = run_cli(settings, "--output-dir", str(tmp_path / "run"), "--replace-existing")
    assert result.returncode == 0, result.stderr[-2000:]
    assert env.scalar(f"select count(*) from `{env.v2}`.patients") > 0
    after = env.table_checksums(env.v2)
    rolled = run_cli(settings, "--output-dir", str(tmp_path / "rollback"), "--rollback")
    if config.get("backup_before_migration", True):
        assert rolled.returncode == 0, rolled.stderr[-2000:]
        assert env.table_checksums(env.v2) == before
    else:  # nothing to restore from: refused, v2 left as the run made it
        assert rolled.returncode == 4 and "took no backup" in rolled.stderr.strip().splitlines()[-1]
        assert env.table_checksums(env.v2) == after != before


def test_a_missing_grant_is_named_with_its_option_before_any_write(env, account, tmp_path):
    user = account("backup_before_migration: true")  # without the disable_fk_checks: false block
    before = env.table_checksums(env.v2)
    result = run_cli(config_for(env, tmp_path, user=user, password=PASSWORD, disable_fk_checks=False),
                     "--output-dir", str(tmp_path / "out"), "--replace-existing")
    assert result.returncode == 3
    last = result.stderr.strip().splitlines()[-1]
    assert re.search(rf"lacks UPDATE on {env.v2}, which disable_fk_checks: false needs", last), last
    assert env.table_checksums(env.v2) == before
