"""Running the dbt project: one place that writes the profile, calls dbt and reads its results.

dbt runs as a subprocess (the same interpreter, `python -m dbt.cli.main`), so each call starts
clean and a crash of dbt cannot take the caller down. Results come from run_results.json, not
from dbt's console text.
"""
from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from driver.db import Server

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass
class DbtTarget:
    """A dbt target: the server, the v2 database (the profile's schema) and the v1 database."""

    server: Server
    v2_database: str
    v1_database: str
    work_dir: Path  # profiles.yml, target/ and logs/ of this target live here
    adapter: str = "mariadb"
    threads: int = 2
    uuid_secret: str = ""
    extra_vars: dict = field(default_factory=dict)
    project_dir: Path = PROJECT_DIR

    def write_profile(self) -> Path:
        """profiles.yml for this target; the password stays in the environment, not the file."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        output = {
            "type": self.adapter,
            "username": self.server.user,
            "password": "{{ env_var('MOH_DB_PASSWORD', '') }}",
            "schema": self.v2_database,
            "charset": "utf8mb4",
            "collation": "utf8mb4_unicode_ci",
            "threads": self.threads,
        }
        if self.server.unix_socket:
            output["unix_socket"] = self.server.unix_socket
        else:
            output.update(server=self.server.host, port=self.server.port)
        profile = {"moh_migrate": {"target": "run", "outputs": {"run": output}}}
        path = self.work_dir / "profiles.yml"
        path.write_text(yaml.safe_dump(profile, sort_keys=False))
        return path

    def vars(self) -> dict:
        return {"v1_schema": self.v1_database, **self.extra_vars}


@dataclass
class DbtResult:
    returncode: int
    results: list[dict]  # run_results.json "results"
    output: str  # dbt's console output
    errors: list[str] = field(default_factory=list)  # error-level messages (with on_event)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def by_status(self, resource: str | None = None) -> dict[str, int]:
        """How many nodes ended in each status, optionally for one kind ("test", "model")."""
        counts: dict[str, int] = {}
        for r in self.results:
            if resource and not r["unique_id"].startswith(resource + "."):
                continue
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        return counts

    def failures(self) -> list[dict]:
        return [r for r in self.results if r["status"] in ("error", "fail")]


def die_with_parent() -> None:
    """In the dbt child, before it starts: ask Linux to kill it when the driver dies, so a
    killed run leaves no dbt writing behind the next run's back (its transaction rolls back)."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run_dbt(target: DbtTarget, *args: str, echo: bool = False, on_event=None) -> DbtResult:
    """Run `dbt <args>` for the target; with echo, stream dbt's output as it comes. With
    on_event, dbt logs JSON and each event (a dict) is passed to on_event as it comes."""
    target.write_profile()
    run_results = target.work_dir / "target" / "run_results.json"
    if run_results.exists():
        run_results.unlink()
    log_format = ["--log-format", "json"] if on_event else []
    command = [
        sys.executable, "-m", "driver.dbt_launcher", *log_format, *args,
        "--project-dir", str(target.project_dir),
        "--profiles-dir", str(target.work_dir),
        "--target-path", str(target.work_dir / "target"),
        "--log-path", str(target.work_dir / "logs"),
        "--vars", json.dumps(target.vars()),
    ]
    env = dict(os.environ)
    env["MOH_DB_PASSWORD"] = target.server.password
    env["MOH_MIGRATE_UUID_SECRET"] = target.uuid_secret
    for name, value in target.server.tls_options().items():
        env[f"MOH_DB_{name.upper()}"] = "1" if value is True else value
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env.setdefault("DBT_VERSION_CHECK", "false")
    env.setdefault("DBT_USE_COLORS", "false")
    process = subprocess.Popen(command, cwd=target.project_dir, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, preexec_fn=die_with_parent)
    lines, errors = [], []
    for line in process.stdout:
        lines.append(line)
        if echo:
            print(line, end="", flush=True)
        if on_event:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("info", {}).get("level") == "error":
                errors.append(event["info"].get("msg", ""))
            on_event(event)
    process.wait()
    results = json.loads(run_results.read_text())["results"] if run_results.exists() else []
    return DbtResult(process.returncode, results, "".join(lines), errors)
