"""Running the dbt project: one place that writes the profile, calls dbt and reads its results.

dbt runs in a subprocess (the same interpreter, through driver/dbt_launcher.py), so a crash of
dbt cannot take the caller down; a run's calls share one such process (DbtProcess), which
imports dbt once. Results come from
run_results.json and dbt's JSON events, not from its console text: which nodes ran and how
they ended, one result for several calls, the one line a failure is told in, and the exit
code the project asked for with a marker (macros/refuse.sql).
"""
from __future__ import annotations

import ctypes
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from driver import logs
from driver.db import Server
from driver.dbt_launcher import DONE
from driver.errors import EXIT_FAILED, EXIT_INPUT, EXIT_PREFLIGHT, RunFailed
from driver.project import PROJECT_DIR

# The project stops a run with one of these at the start of its message (macros/refuse.sql).
# the parts of a relation name dbt quotes: `db`.`t` (MySQL), "db"."schema"."t" (PostgreSQL)
QUOTED_NAME = re.compile(r'[`"]([^`"]*)[`"]')
MARKERS = {"MOH-REFUSED: ": EXIT_PREFLIGHT, "MOH-MAPPING: ": EXIT_INPUT}


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
        if getattr(self.server, "engine", "mysql") == "postgres":
            output = {
                "type": "postgres",
                "host": self.server.unix_socket or self.server.host,
                "port": self.server.port,
                "user": self.server.user,
                "password": "{{ env_var('MOH_DB_PASSWORD', '') }}",
                "dbname": self.server.database,
                "schema": self.v2_database,
                "threads": self.threads,
                **self.server.tls_options(),
            }
            return self._write({"moh_migrate": {"target": "run", "outputs": {"run": output}}})
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
        return self._write({"moh_migrate": {"target": "run", "outputs": {"run": output}}})

    def _write(self, profile: dict) -> Path:
        path = self.work_dir / "profiles.yml"
        text = yaml.safe_dump(profile, sort_keys=False)
        if not path.exists() or path.read_text() != text:  # an unchanged file keeps partial parsing
            path.write_text(text)
        return path

    def vars(self) -> dict:
        return {"v1_schema": self.v1_database, **self.extra_vars}

    @property
    def target_dir(self) -> Path:
        return self.work_dir / "target"


@dataclass(frozen=True)
class NodeFinished:
    """A model or test that dbt finished, as its event says while the run goes on."""

    unique_id: str
    name: str
    status: str  # models: success, error, skipped; tests: pass, fail, warn, error, skipped
    seconds: float
    shown: str = ""  # what dbt says of it ("SUCCESS 120", "pass")
    index: int | None = None  # models: position in the run, of total
    total: int | None = None
    failures: int | None = None  # tests: failing rows
    materialized: str = ""  # models: view, work_table, v2_table, ...

    @property
    def is_test(self) -> bool:
        return self.unique_id.startswith("test.")


def node_finished(event: dict) -> NodeFinished | None:
    """The finished node an event of dbt's JSON log reports, if it reports one."""
    name, data = event.get("info", {}).get("name"), event.get("data", {})
    if name == "LogModelResult":
        node = data["node_info"]
        return NodeFinished(node["unique_id"], node["node_name"], node.get("node_status") or data["status"],
                            data.get("execution_time") or 0, data["status"], data.get("index"), data.get("total"),
                            materialized=node.get("materialized") or "")
    if name == "LogTestResult":
        node = data.get("node_info", {})
        return NodeFinished(node.get("unique_id", f"test.moh_migrate.{data['name']}"), data["name"], data["status"],
                            data.get("execution_time") or 0, data["status"], failures=data.get("num_failures"))
    return None


@dataclass
class DbtResult:
    returncode: int
    results: list[dict]  # run_results.json "results"
    output: str  # dbt's console output
    errors: list[str] = field(default_factory=list)  # error-level messages (JSON log only)

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

    def built(self, model: str) -> bool:
        """Whether this call built the model (a failed test upstream skips it)."""
        unique_id = f"model.moh_migrate.{model}"
        return any(r["unique_id"] == unique_id and r["status"] == "success" for r in self.results)

    def tests_run(self) -> list[str]:
        """The names of the tests this call ran, whatever their outcome."""
        return [r["unique_id"].split(".")[2] for r in self.results if r["unique_id"].startswith("test.")]

    def rows_loaded(self, database: str) -> int:
        """Rows the models wrote into tables of `database` (dbt's rows_affected): on MySQL a
        database (`db`.`t`), on PostgreSQL the schema of the relation ("db"."schema"."t")."""
        return sum((r.get("adapter_response") or {}).get("rows_affected") or 0 for r in self.results
                   if QUOTED_NAME.findall(r.get("relation_name") or "")[-2:-1] == [database])

    def model_seconds(self) -> dict[str, float]:
        return {r["unique_id"]: round(r.get("execution_time") or 0, 3) for r in self.results
                if r["unique_id"].startswith("model.")}

    def failure(self, what: str) -> RunFailed:
        """The one line this failed call is told in, and its exit code: a marker the project
        set decides the code; otherwise a model or test failed (1)."""
        failed = self.failures()
        models = [f for f in failed if not f["unique_id"].startswith("test.")]
        tests = [f for f in failed if f["unique_id"].startswith("test.")]
        for message in [str(f.get("message") or "") for f in models] + self.errors:
            marked = marked_message(message)
            if marked:
                return RunFailed(marked[1], marked[0])
        if models:
            first = models[0]
            message = " ".join(str(first.get("message") or "").split())
            return RunFailed(f"{what}: model {first['unique_id'].split('.')[-1]} failed: {message}")
        if tests:
            named = ", ".join(f"{f['unique_id'].split('.')[2]} ({f.get('failures')} rows)" for f in tests[:5])
            more = f" and {len(tests) - 5} more" if len(tests) > 5 else ""
            return RunFailed(f"{what}: {len(tests)} dbt tests failed: {named}{more}")
        message = " ".join(" ".join(self.errors).split()) or last_dbt_message(self.output)
        return RunFailed(f"{what}: {message}", EXIT_FAILED)


def marked_message(message: str) -> tuple[int, str] | None:
    """(exit code, the project's own message without the marker) when the message carries a
    marker of macros/refuse.sql; dbt's frame around it ("Compilation Error in model ...",
    "> in macro ...") is left out."""
    for marker, code in MARKERS.items():
        at = message.find(marker)
        if at < 0:
            continue
        lines = message[at + len(marker):].splitlines()
        kept = []
        for line in lines:
            if line.strip().startswith(">"):  # dbt's "> in macro refuse", "> called by model ..."
                break
            kept.append(line)
        return code, " ".join(" ".join(kept).split())
    return None


def merge_results(steps: list[DbtResult]) -> DbtResult:
    """One result for several dbt calls: the last result of each node, the worst return code."""
    by_node = {}
    for step in steps:
        for r in step.results:
            by_node[r["unique_id"]] = r
    return DbtResult(max(step.returncode for step in steps), list(by_node.values()),
                     "".join(step.output for step in steps), [e for step in steps for e in step.errors])


def last_dbt_message(output: str) -> str:
    """The last thing dbt said, when it stopped without an error event."""
    for line in reversed(output.splitlines()):
        try:
            message = json.loads(line).get("info", {}).get("msg", "")
        except (ValueError, AttributeError):
            message = line
        if message.strip():
            return " ".join(message.split())
    return "dbt stopped without saying why"


def die_with_parent() -> None:
    """In the dbt child, before it starts: ask Linux to kill it when the driver dies, so a
    killed run leaves no dbt writing behind the next run's back (its transaction rolls back)."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def scrub_outputs(target: DbtTarget, since: float = 0.0) -> None:
    """dbt's own files may quote values from MySQL's error messages: mask them (log_pii off).
    `since`: only files written from then on (the logs of earlier calls are scrubbed already)."""
    for path in [*(target.work_dir / "logs").glob("*.log*"), target.target_dir / "run_results.json"]:
        if path.exists() and path.stat().st_mtime >= since and path.suffix != ".gz":
            logs.scrub_file(path)


def compact_outputs(target: DbtTarget, keep_executed: bool) -> None:
    """Keep of dbt's files what a later look needs: its log of each call compressed (about a
    tenth of the size), and the executed SQL (target/run) only when a call failed: dbt's error
    message points there; target/compiled holds the same queries."""
    folder = target.work_dir / "logs"
    for path in sorted(folder.glob("dbt.log*")):
        if path.suffix == ".gz":
            continue
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(path.stat().st_mtime))
        rotated = path.name[len("dbt.log"):].lstrip(".")  # dbt.log.1 is dbt's rotation of a long log
        packed = folder / f"dbt-{stamp}{'-' + rotated if rotated else ''}.log.gz"
        while packed.exists():  # two calls within a second
            packed = packed.with_name(packed.name.replace(".log.gz", "-1.log.gz"))
        with path.open("rb") as source, gzip.open(packed, "wb", compresslevel=6) as sink:
            shutil.copyfileobj(source, sink)
        path.unlink()
    if not keep_executed:
        shutil.rmtree(target.target_dir / "run", ignore_errors=True)


class DbtProcess:
    """One dbt process for several calls (driver/dbt_launcher.py --serve): a run's calls share
    it, so dbt is imported once, not once per call. Started at the first call and again after a
    call that killed it; close() ends it. The environment of each call (its password, TLS files,
    secret) goes with the call, so one process serves targets on both servers."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._busy = False  # a call whose output was not read to its end
        self.returncode: int | None = None

    def _send(self, request: str, cwd: Path) -> None:
        if self._process is None:
            base = dict(os.environ)
            base.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
            base.setdefault("DBT_VERSION_CHECK", "false")
            base.setdefault("DBT_USE_COLORS", "false")
            self._process = subprocess.Popen(
                [sys.executable, "-m", "driver.dbt_launcher", "--serve"], cwd=cwd, env=base,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                preexec_fn=die_with_parent)
        self._process.stdin.write(request)
        self._process.stdin.flush()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def call(self, args: list[str], env: dict[str, str], cwd: Path):
        """dbt's output lines as they come; the exit code is `returncode` afterwards."""
        if self._process is not None and self._process.poll() is not None:
            self._process = None  # it died between calls
        request = json.dumps({"args": args, "env": env}) + "\n"
        try:
            self._send(request, cwd)
        except BrokenPipeError:  # it died a moment ago
            self._process.wait()
            self._process = None
            self._send(request, cwd)
        process = self._process
        self._busy = True
        for line in process.stdout:
            if line.startswith(DONE):
                self.returncode, self._busy = int(line[len(DONE):]), False
                return
            yield line
        self.returncode = process.wait() or 2  # it died during the call: start anew next time
        self._process, self._busy = None, False

    def close(self) -> None:
        """End the process: at once if a call is still under way (the caller gave up on it)."""
        if self._process is not None:
            if self._busy:
                self._process.kill()
            self._process.stdin.close()
            self._process.wait()
            self._process, self._busy = None, False


def run_dbt(target: DbtTarget, *args: str, echo: bool = False, on_node=None, json_log: bool | None = None,
            scrub: bool = False, log_level_file: str = "debug", compact: bool = False,
            process: DbtProcess | None = None) -> DbtResult:
    """Run `dbt <args>` for the target, in `process` (one of its own when None). With echo,
    dbt's output streams to stdout as it comes. With on_node, each finished model and test (a
    NodeFinished) is passed to it as dbt reports it. json_log (default: with on_node) makes dbt
    log JSON events, so that its error messages are collected in DbtResult.errors. With scrub,
    dbt's files are scrubbed of quoted values; log_level_file is how much dbt writes to its own
    log; compact compresses it afterwards."""
    target.write_profile()
    started = time.time()
    run_results = target.target_dir / "run_results.json"
    if run_results.exists():
        run_results.unlink()
    json_log = on_node is not None if json_log is None else json_log
    command = [
        *(["--log-format", "json"] if json_log else []), *args,
        "--project-dir", str(target.project_dir),
        "--profiles-dir", str(target.work_dir),
        "--target-path", str(target.target_dir),
        "--log-path", str(target.work_dir / "logs"), "--log-level-file", log_level_file,
        "--vars", json.dumps(target.vars(), sort_keys=True),
    ]
    env = {"MOH_DB_PASSWORD": target.server.password, "MOH_MIGRATE_UUID_SECRET": target.uuid_secret}
    if getattr(target.server, "engine", "mysql") != "postgres":  # PostgreSQL's are in the profile
        for name, value in target.server.tls_options().items():
            env[f"MOH_DB_{name.upper()}"] = "1" if value is True else value
    own = process is None
    process = process or DbtProcess()
    lines, errors = [], []
    try:
        for line in process.call(command, env, target.project_dir):
            lines.append(line)
            if echo:
                print(line, end="", flush=True)
            if json_log:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if event.get("info", {}).get("level") == "error":
                    errors.append(event["info"].get("msg", ""))
                node = node_finished(event)
                if node is not None and on_node is not None:
                    on_node(node)
    finally:
        if own:
            process.close()
    results = json.loads(run_results.read_text())["results"] if run_results.exists() else []
    if scrub:
        scrub_outputs(target, since=started)
    if compact:
        compact_outputs(target, keep_executed=process.returncode != 0)
    return DbtResult(process.returncode, results, "".join(lines), errors)
