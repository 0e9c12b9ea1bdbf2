"""Shared fixtures: a real MariaDB/MySQL server, and migration environments built on it.

Each environment is a v1 database filled by the synthetic generator, a v2 database created
from the project's v2 DDL (with rows the v2 application itself would have seeded), and the
work schema dbt adds. Names are unique per test run (and per pytest-xdist worker); everything
is dropped afterwards. Environments that tests only read are made once per session:
`migrated` (plain `dbt build`) and `migrated_by_cli` (the moh-migrate command).

With pytest-xdist (`-n 2 --dist loadgroup`, the default in pyproject.toml), each test file goes
to one worker, so its module fixtures are made once; files that share a session fixture name
the same xdist_group; a file of independent slow tests spreads them (XDIST_EACH_TEST); the groups
with slow tests are handed out first.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import mysql.connector
import pytest

from driver.db import Server, create_database, drop_database
from driver.dbt_runner import DbtResult, DbtTarget, run_dbt
from moh_dev.server import server_from_env
from moh_dev.synthetic import EdgeCases, LegacyCases, generate

RUN_ID = uuid.uuid4().hex[:6]
TEST_SECRET = "test-secret-not-for-production"
V2_APP_MIGRATIONS = 72  # rows the v2 application keeps in its own migrations table


@pytest.fixture(scope="session")
def server() -> Server:
    s = server_from_env()
    try:
        s.connect().close()
    except mysql.connector.Error as e:
        pytest.fail(f"no MariaDB/MySQL server answers at {s.host}:{s.port} as {s.user} ({e.msg}); "
                    "run `make test`, which starts one, or set MOH_DB_HOST/PORT/USER/PASSWORD")
    return s


@pytest.fixture(scope="session")
def pg_server():
    """PostgreSQL 15 for the PostgreSQL tests (`make test` starts one: moh_dev.pg_server). They
    skip, with the reason, only when no server can be used."""
    from moh_dev.pg_server import problem
    from moh_dev.pg_server import server_from_env as pg_from_env
    s = pg_from_env()
    why = problem(s)
    if why is not None:
        pytest.skip(f"no usable PostgreSQL at {s.host}:{s.port} as {s.user} ({why}); `make test` installs "
                    "and starts one as root on Debian, or set MOH_PG_HOST/PORT/USER/PASSWORD")
    return s


@dataclass
class Env:
    server: Server
    v1: str
    v2: str
    target: DbtTarget
    edge: EdgeCases | None = None
    legacy: LegacyCases | None = None
    migrations_before: int | None = None

    @property
    def work(self) -> str:
        return self.v2 + "_migrate"

    def rows(self, sql: str, params=()) -> list[tuple]:
        conn = self.server.connect()
        try:
            cur = conn.cursor()
            cur.execute("set session time_zone = '+00:00'")
            cur.execute(sql, params)
            return cur.fetchall()
        finally:
            conn.close()

    def scalar(self, sql: str, params=()):
        result = self.rows(sql, params)
        return result[0][0] if result else None

    def execute(self, *statements: str) -> None:
        conn = self.server.connect()
        try:
            cur = conn.cursor()
            for s in statements:
                cur.execute(s)
        finally:
            conn.close()

    def dbt(self, *args: str) -> DbtResult:
        return run_dbt(self.target, *args)

    def table_checksums(self, database: str) -> dict[str, int]:
        tables = [t for (t,) in self.rows(
            "select table_name from information_schema.tables where table_schema = %s and table_type = 'BASE TABLE'",
            (database,))]
        result = {}
        for t in tables:
            (_, checksum), = self.rows(f"checksum table `{database}`.`{t}`")
            result[t] = checksum
        return result

    def drop(self) -> None:
        for db in (self.v1, self.v2, self.work, self.v2 + "_v1_landing", self.v2 + "_backup"):
            drop_database(self.server, db)


def seed_v2_application_rows(env: Env) -> None:
    """What the v2 application puts in new_moh before any migration: its migration history."""
    values = ", ".join(f"({i}, '2025_01_01_{i:06d}_v2_migration', 1)" for i in range(1, V2_APP_MIGRATIONS + 1))
    env.execute(f"insert into `{env.v2}`.migrations (id, migration, batch) values {values}")


def make_env(server: Server, tmp_path: Path, name: str, patients: int | None, seed: int = 1,
             legacy: bool = False) -> Env:
    prefix = f"t{RUN_ID}_{name}"
    env = Env(server=server, v1=f"{prefix}_v1", v2=f"{prefix}_v2",
              target=DbtTarget(server=server, v2_database=f"{prefix}_v2", v1_database=f"{prefix}_v1",
                               work_dir=tmp_path / name, uuid_secret=TEST_SECRET))
    if patients:
        generated = generate(server, env.v1, patients, seed, legacy=legacy)
        env.edge, env.legacy = generated.edge, generated.legacy
    else:
        create_database(server, env.v1, "v1", replace=True)
    create_database(server, env.v2, "v2", replace=True)
    seed_v2_application_rows(env)
    return env


def pytest_itemcollected(item):
    # as each test is collected, so the group is there when pytest-xdist reads it; a file
    # without module fixtures may say XDIST_EACH_TEST = True, and its tests spread out
    if not item.get_closest_marker("xdist_group"):
        alone = getattr(item.module, "XDIST_EACH_TEST", False)
        item.add_marker(pytest.mark.xdist_group(item.nodeid if alone else item.module.__name__))


def pytest_collection_modifyitems(config, items):
    # pytest-xdist hands out whole groups in the order of the collection (--no-loadscope-reorder
    # in pyproject.toml): groups that hold a slow test first, then the larger groups, the
    # server-free tier last, so that what finishes last is short and both workers stay busy.
    # A group keeps its tests' order (test_postgres's tests build on each other).
    def group(item):
        marker = item.get_closest_marker("xdist_group")
        return marker.args[0] if marker and marker.args else item.nodeid
    members: dict[str, list] = {}
    for item in items:
        members.setdefault(group(item), []).append(item)
    first = list(members)

    def weight(name):
        tests = members[name]
        unit = all("/unit/" in t.nodeid for t in tests)
        slow = any(t.get_closest_marker("slow") for t in tests)
        return unit, not slow, -len(tests), first.index(name)
    items[:] = [item for name in sorted(members, key=weight) for item in members[name]]


@pytest.fixture(scope="session")
def migrated(server, tmp_path_factory) -> tuple[Env, DbtResult]:
    """One environment of 2,000 patients with every edge case, migrated by `dbt build`.
    Shared by tests that only read it."""
    env = make_env(server, tmp_path_factory.mktemp("dbt"), "e2e", patients=2000)
    env.migrations_before = env.table_checksums(env.v2)["migrations"]
    result = env.dbt("build")
    yield env, result
    env.drop()


@pytest.fixture(scope="session")
def migrated_by_cli(server, tmp_path_factory):
    """300 patients with every edge case, planned by a dry run and then migrated by the moh-migrate
    command (subprocesses, as a user runs it) into one output directory: (environment, output
    directory, the real run's finished process; env.dry_run holds the dry run's). Shared by
    tests that only read what they left: the outputs, the terminal, v2."""
    from tests.runs import config_for, run_cli  # tests.runs reads this module's constants
    directory = tmp_path_factory.mktemp("cli-run")
    env = make_env(server, directory, "clirun", patients=300)
    config = config_for(env, directory)
    env.dry_run = run_cli(config, "--dry-run", "--output-dir", str(directory / "out"))
    result = run_cli(config, "--output-dir", str(directory / "out"))
    yield env, directory / "out", result
    env.drop()


@pytest.fixture
def scratch_env(server, tmp_path):
    """A small environment of its own, for tests that break things on purpose."""
    envs = []

    def factory(name: str, patients: int | None = 200, seed: int = 1) -> Env:
        env = make_env(server, tmp_path, name, patients, seed)
        envs.append(env)
        return env

    yield factory
    for env in envs:
        env.drop()
