"""make bench: how fast moh-migrate moves a v1 database on this server, against what the server
can do at best and against the seed tool's row-by-row way, at several scales.

For each scale (patients), on the same generated v1 data:
  migrate      the real `moh-migrate` command, its time split into phases.
  limit        one plain INSERT INTO v2.t SELECT ... FROM v1.t per migrated table, into the v2
               DDL, with the UUID columns joined to an indexed copy of the real run's
               crosswalks; no classification, no cleaning, no exceptions, no tests: the fastest
               this server moves this data.
  row_by_row   one INSERT per row from Python for the users/patients split, on a slice of the
               patients, scaled to the whole (the way the seed's script works).
And, when a PostgreSQL answers (not with --no-postgres), from the same v1 into PostgreSQL:
  migrate      the real command into a fresh PostgreSQL v2; its landing copy of v1 timed apart.
  limit        the same INSERT ... SELECT per table from that landing copy, through the same
               crosswalks, into a v2 schema made by the same DDL beside it (moh_dev.bench_postgres).
  pgloader     every v1 table moved by pgloader into a fresh database: the anchor for the copy.
The migration's rules are not written again here: who is staff and which UUID each patient
gets come from the real run's crosswalks (int_staff_users_kept, int_patients_minted), the
UUIDs of the row-by-row baseline from driver.patient_uuid, the tables from the project.
Results go to bench/results.json and a short table on the terminal. No data value is printed.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from driver import schema_facts
from driver.db import Server, create_database, drop_database
from driver.mapping import load_mapping
from driver.patient_uuid import namespace_hex, patient_uuid
from driver.pg import PgServer, create_v2_schema
from driver.pg import drop_database as drop_pg_database
from driver.project import table_dispositions
from moh_dev import bench_postgres
from moh_dev.pg_server import problem as pg_problem
from moh_dev.pg_server import server_from_env as pg_from_env
from moh_dev.synthetic import foreign_tables, generate, live_changes, staff_count

SECRET = "bench-secret"
# unique_checks off lets MariaDB bulk-load an empty table (indexes built by sorting): the
# fastest path, which moh-migrate does not take (see run_limit)
LOAD_SETTINGS = "set session foreign_key_checks = 0, unique_checks = {unique}, time_zone = '+00:00', " \
                "sql_mode = 'NO_AUTO_VALUE_ON_ZERO'"
V1, LIMIT, MIGRATE, ROWWISE = "bench_v1", "bench_limit_v2", "bench_v2", "bench_row_by_row_v2"
CROSSWALKS = f"{MIGRATE}_migrate"  # the real run's work schema: its crosswalks feed the limit and the baseline
PGLOADER = "bench_pgloader"  # pgloader's database on the PostgreSQL server (MIGRATE is the real run's there)


def use_prefix(prefix: str) -> None:
    """The benchmark's databases are <prefix>_v1, <prefix>_v2, ...: two benchmarks on one server
    (make bench and the test suite's tiny one) must not replace each other's."""
    global V1, LIMIT, MIGRATE, ROWWISE, CROSSWALKS, PGLOADER
    V1, LIMIT, MIGRATE, ROWWISE = f"{prefix}_v1", f"{prefix}_limit_v2", f"{prefix}_v2", f"{prefix}_row_by_row_v2"
    CROSSWALKS, PGLOADER = f"{MIGRATE}_migrate", f"{prefix}_pgloader"


# --- memory --------------------------------------------------------------------------------------
def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        found += [int(c) for c in children]
        todo += [int(c) for c in children]
    return found


def server_pid(conn) -> int | None:
    """The server's process, when it runs on this machine (its pid file is readable)."""
    cur = conn.cursor()
    cur.execute("select @@pid_file")
    try:
        return int(Path(cur.fetchone()[0]).read_text().strip())
    except (OSError, ValueError):
        return None


class PeakMemory:
    """Samples the resident memory of a process (and, apart, of its children) and of the
    server every 0.2 s while the block runs."""

    def __init__(self, server: int | None):
        self.server, self.pid = server, None
        self.peak = {"driver_mb": 0.0, "dbt_mb": 0.0, "server_mb": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            if self.pid:
                self.peak["driver_mb"] = max(self.peak["driver_mb"], rss_mb(self.pid))
                children = sum(rss_mb(c) for c in descendants(self.pid))
                self.peak["dbt_mb"] = max(self.peak["dbt_mb"], children)
            if self.server:
                self.peak["server_mb"] = max(self.peak["server_mb"], rss_mb(self.server))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = {k: round(v, 1) for k, v in self.peak.items()}


# --- the limit -----------------------------------------------------------------------------------
# What the limit does is decided once (limit_plan, LIMIT_CROSSWALKS) and written as SQL for each
# v2 engine by limit_statements with that engine's Dialect: MariaDB's (Dialect) or PostgreSQL's
# (PgDialect, below).
@dataclass(frozen=True)
class Crosswalk:
    """An indexed copy of one of the real run's crosswalks (a table of its work schema): the
    first column is the key; "id" columns hold v1 ids, "uuid" columns patient UUIDs."""
    name: str
    columns: tuple[tuple[str, str, str], ...]  # (column, "id" or "uuid", column of the source)
    source: str
    where: str = ""


LIMIT_CROSSWALKS = (
    Crosswalk("xw_patient", (("v1_patient_id", "id", "v1_patient_id"), ("patient_uuid", "uuid", "patient_uuid")),
              "int_patients_minted", "v1_patient_id is not null"),
    # one row per user: with unique_checks off, MariaDB bulk-loads an empty table and a
    # duplicate key discards the whole statement's rows (seen here), so none may occur
    Crosswalk("xw_user", (("v1_user_id", "id", "v1_user_id"), ("patient_uuid", "uuid", "patient_uuid")),
              "int_patients_minted", "is_primary_for_user and v1_user_id is not null"),
    Crosswalk("xw_staff", (("v1_user_id", "id", "old_user_id"),), "int_staff_users_kept"),
)


@dataclass(frozen=True)
class Join:
    """`{kind} {schema}.{table} {alias} on {alias}.{key} = t.{on}`; schema is "v1" (the
    patient's users row) or "target" (a crosswalk, kept beside the limit's v2 tables)."""
    kind: str
    schema: str
    table: str
    alias: str
    key: str
    on: str


@dataclass
class LimitInsert:
    """One v2 table's INSERT ... SELECT: each v2 column from (alias, column); t is the v1 table."""
    table: str
    columns: list[tuple[str, str, str]] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)

    def source(self, alias: str) -> tuple[str, str]:
        """(schema, table) an alias reads."""
        if alias == "t":
            return "v1", self.table
        join = next(j for j in self.joins if j.alias == alias)
        return join.schema, join.table


def limit_plan(tables: list[str]) -> list[LimitInsert]:
    """The limit's column logic, for every engine. Columns are taken by name where v1 has them;
    a v1 bigint that became a char(36) goes through the crosswalk (by patients.id, or by
    users.id, the user's primary patient, for the user_id columns); patients take the person's
    columns from the patient's users row; users keeps the staff only."""
    v1, v2 = schema_facts.columns("v1"), schema_facts.columns("v2")
    plan = []
    for table in tables:
        if table not in v1:
            continue
        insert = LimitInsert(table)
        add, join = insert.columns.append, insert.joins.append
        if table == "patients":
            join(Join("left join", "v1", "users", "u", "id", "user_id"))
        for name, kind in v2[table].items():
            old = v1[table].get(name)
            if table == "patients":
                if name == "patient_id":
                    add((name, "xp", "patient_uuid"))
                    join(Join("join", "target", "xw_patient", "xp", "v1_patient_id", "id"))
                elif name == "national_id":
                    add((name, "t", "national_number"))
                elif name == "relation_patient_id":
                    add((name, "xr", "patient_uuid"))
                    join(Join("left join", "target", "xw_patient", "xr", "v1_patient_id", "relation_patient_id"))
                elif old is not None:
                    add((name, "t", name))
                elif name in v1["users"]:
                    add((name, "u", name))
            elif table == "verification_codes" and name == "patient_id":
                add((name, "xu", "patient_uuid"))
                join(Join("left join", "target", "xw_user", "xu", "v1_user_id", "user_id"))
            elif old is None:
                continue
            elif kind.startswith("char(36)") and old.startswith("bigint"):
                alias = f"x_{name}"
                crosswalk, key = ("xw_user", "v1_user_id") if name == "user_id" else ("xw_patient", "v1_patient_id")
                add((name, alias, "patient_uuid"))
                join(Join("left join", "target", crosswalk, alias, key, name))
            else:
                add((name, "t", name))
        if table == "users":
            join(Join("join", "target", "xw_staff", "staff", "v1_user_id", "id"))
        plan.append(insert)
    return plan


@dataclass(frozen=True)
class Dialect:
    """How one engine writes the limit: where it reads v1 and the real run's crosswalks (work),
    where the limit's v2 tables are (target), and its SQL. MariaDB's by default."""
    v1: str
    work: str
    target: str
    quote: str = "`"
    insert: str = "insert ignore into"
    on_conflict: str = ""
    table_options: str = " engine=InnoDB"
    types: dict = field(default_factory=lambda: {"id": "bigint unsigned", "uuid": "char(36)"})  # the crosswalks'

    def name(self, schema: str, table: str) -> str:
        return f"{self.q(getattr(self, schema))}.{self.q(table)}"

    def q(self, name: str) -> str:
        return f"{self.quote}{name}{self.quote}"

    def value(self, alias: str, column: str, source: tuple[str, str], target: tuple[str, str]) -> str:
        """alias.column as the value of the target (table, column); MariaDB converts on assignment."""
        return f"{alias}.{self.q(column)}"


def limit_statements(tables: list[str], dialect: Dialect | None = None) -> list[tuple[str, str]]:
    """(table, statement) for the limit: crosswalks first, then one INSERT ... SELECT per table."""
    d = dialect or Dialect(v1=V1, work=CROSSWALKS, target=LIMIT)
    out = []
    for xw in LIMIT_CROSSWALKS:
        key, *rest = [f"{d.q(c)} {d.types[kind]}" for c, kind, _ in xw.columns]
        columns = ", ".join([f"{key} primary key"] + [f"{c} not null" for c in rest])
        out.append(("crosswalk", f"create table {d.name('target', xw.name)} ({columns}){d.table_options}"))
        select = ", ".join(d.value("w", source, ("work", xw.source), (xw.name, c)) for c, _, source in xw.columns)
        where = f" where {xw.where}" if xw.where else ""
        out.append(("crosswalk", f"insert into {d.name('target', xw.name)} select {select} "
                                 f"from {d.name('work', xw.source)} w{where}"))
    for insert in limit_plan(tables):
        names = ", ".join(d.q(n) for n, _, _ in insert.columns)
        select = ", ".join(d.value(alias, column, insert.source(alias), (insert.table, name))
                           for name, alias, column in insert.columns)
        joins = "".join(f" {j.kind} {d.name(j.schema, j.table)} {j.alias} on {j.alias}.{d.q(j.key)} = t.{d.q(j.on)}"
                        for j in insert.joins)
        out.append((insert.table, f"{d.insert} {d.name('target', insert.table)} ({names}) select {select} "
                                  f"from {d.name('v1', insert.table)} t{joins}{d.on_conflict}"))
    return out


def run_limit(server: Server, tables: list[str], unique_checks: bool = False) -> dict:
    """With unique_checks off (the limit): the fastest path, MariaDB's bulk load of an empty
    table. With them on: the path moh-migrate takes, since on MariaDB 10.11 the bulk path
    discards a statement's rows at commit, without an error, when a key repeats."""
    create_database(server, LIMIT, "v2", replace=True)
    conn = server.connect(LIMIT)
    conn.cursor().execute(LOAD_SETTINGS.format(unique=int(unique_checks)))
    try:
        return time_statements(conn, limit_statements(tables))
    finally:
        conn.close()


def time_statements(conn, statements: list[tuple[str, str]]) -> dict:
    """Run the limit's statements one transaction each, timed; count what each INSERT landed.
    conn: a mysql-connector connection, or driver.pg's PgConnection (the same interface)."""
    cur = conn.cursor(buffered=True)
    per_table, rows, seconds = {}, 0, 0.0
    for table, sql in statements:
        started = time.monotonic()
        conn.start_transaction()
        try:
            cur.execute(sql)
        except Exception as e:  # noqa: BLE001 - told in one line, without the row (data) the server quotes
            raise SystemExit(f"the limit failed on {table}: {str(e).splitlines()[0].split(':')[0]}") from None
        moved = max(cur.rowcount, 0)
        conn.commit()
        spent = time.monotonic() - started
        seconds += spent
        entry = per_table.setdefault(table, {"rows": 0, "seconds": 0.0})
        entry["seconds"] = round(entry["seconds"] + spent, 3)
        if not sql.startswith("insert"):
            continue
        # with unique_checks off, MariaDB 10.11 may drop a whole statement's rows at commit
        # without an error (a duplicate key into an empty table): count what really landed
        target = sql.split()[2] if sql.startswith("insert into") else sql.split()[3]
        cur.execute(f"select count(*) from {target}")
        landed = cur.fetchone()[0]
        if landed != moved:
            raise SystemExit(f"the limit lost rows of {table}: {moved} inserted, {landed} after commit")
        entry["rows"] += landed
        if table != "crosswalk":
            rows += landed
    return {"seconds": round(seconds, 2), "rows": rows, "rows_per_second": round(rows / seconds),
            "tables": per_table}


# --- the real command ----------------------------------------------------------------------------
def interval_phases(run_results: dict, dbt_wall: float) -> dict:
    """Split dbt's wall time by what ran: at each instant, load (a v2 model) wins over crosswalks
    (staging and intermediate models), which win over validation (tests and audit models);
    instants with nothing running are dbt's own work (start-up, parsing, scheduling)."""
    rank = {"load": 0, "crosswalks": 1, "validation": 2}
    events = []
    for r in run_results["results"]:
        uid = r["unique_id"]
        execute = [t for t in r.get("timing", []) if t["name"] == "execute" and t.get("started_at")]
        if not execute:
            continue
        if uid.startswith("test.") or uid.split(".")[-1].startswith("migration_"):  # audit models
            kind = "validation"
        elif uid.split(".")[-1].startswith(("stg_", "int_")):
            kind = "crosswalks"
        else:
            kind = "load"
        start = _stamp(execute[0]["started_at"])
        end = _stamp(execute[0]["completed_at"])
        events += [(start, 1, kind), (end, -1, kind)]
    events.sort()
    spent = {k: 0.0 for k in rank}
    active = {k: 0 for k in rank}
    previous = None
    for at, step, kind in events:
        if previous is not None:
            running = [k for k in rank if active[k]]
            if running:
                spent[min(running, key=rank.get)] += at - previous
        active[kind] += step
        previous = at
    spent = {k: round(v, 2) for k, v in spent.items()}
    spent["dbt_own"] = round(max(dbt_wall - sum(spent.values()), 0), 2)
    return spent


def _stamp(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def run_migrate(server: Server, workdir: Path, mapping: Path, server_process: int | None) -> dict:
    drop_database(server, CROSSWALKS)
    drop_database(server, f"{MIGRATE}_backup")
    create_database(server, MIGRATE, "v2", replace=True)
    return run_cli_measured(server, workdir, mapping, server_process)


def run_incremental(server: Server, workdir: Path, mapping: Path, server_process: int | None) -> dict:
    """moh-migrate --incremental into the v2 the last run_migrate filled, after v1 changed."""
    measured = run_cli_measured(server, workdir, mapping, server_process, "--incremental")
    report = json.loads((workdir / "migrate-output" / "validation_report.json").read_text())
    applied = report["applied_changes"]
    measured["applied"] = {k: sum(c[k] for c in applied.values()) for k in ("inserted", "updated", "deleted")}
    measured["driver_phases"] = report["timings_seconds"]["phases"]
    return measured


def run_cli_measured(server: Server, workdir: Path, mapping: Path, server_process: int | None, *args: str,
                     new_db_url: str | None = None) -> dict:
    """The moh-migrate command from v1 into MIGRATE on the same server, or into new_db_url."""
    # the password stays in the environment: the config names it, the file never holds it
    url = f"mysql+pymysql://{server.user}:${{MOH_DB_PASSWORD:-}}@{server.host}:{server.port}/"
    config = workdir / "config.yaml"
    config.write_text(yaml.safe_dump({"old_db_url": url + V1, "new_db_url": new_db_url or url + MIGRATE,
                                      "patient_uuid_secret": SECRET}))
    out = workdir / "migrate-output"
    command = [sys.executable, "-m", "driver.cli", "--config", str(config), "--mapping", str(mapping),
               "--output-dir", str(out), *args]
    with PeakMemory(server_process) as memory:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        memory.pid = process.pid
        output, _ = process.communicate()
        wall = time.monotonic() - started
    if process.returncode != 0:
        tail = "\n".join(output.splitlines()[-15:])
        raise SystemExit(f"moh-migrate exited {process.returncode}:\n{tail}")
    report = json.loads((out / "validation_report.json").read_text())
    results = json.loads((out / ".moh-migrate" / "dbt" / "v2" / "target" / "run_results.json").read_text())
    driver_phases = report["timings_seconds"]["phases"]
    dbt_key = next(k for k in driver_phases if k.startswith("dbt:"))
    inside = interval_phases(results, driver_phases[dbt_key])
    preflight = sum(v for k, v in driver_phases.items() if k.startswith(("connect", "pre-flight")))
    phases = {"pre_flight": round(preflight, 2), **inside,
              "reports": driver_phases.get("reports", 0.0)}
    copy = [v for k, v in driver_phases.items() if k.startswith("copy v1 to")]
    if copy:  # v1 on another server (always so for a PostgreSQL v2): its landing copy
        phases["copy"] = round(sum(copy), 2)
    phases["other"] = round(max(wall - sum(phases.values()), 0), 2)
    per_model = {}
    for r in results["results"]:
        if r["unique_id"].startswith("model."):
            per_model[r["unique_id"].split(".")[-1]] = {
                "seconds": round(r.get("execution_time") or 0, 2),
                "rows": (r.get("adapter_response") or {}).get("rows_affected")}
    tests = report["tests"]["summary"]
    rows = report["rows_loaded"]
    if not rows and report["kind"] == "full":
        # 0 into PostgreSQL: the driver sums dbt's rows_affected of relations named `v2`.x, as
        # MySQL quotes them; the reconciliation counts the same rows on both engines
        rows = report["totals"]["loaded_rows"]
    return {"seconds": round(wall, 2), "rows": rows, "rows_per_second": round(rows / wall),
            "load_rows_per_second": round(rows / phases["load"]) if phases["load"] else None,
            "phases": phases, "tests": tests, "status": report["status"],
            "peak_rss_mb": memory.peak, "models": per_model}


# --- the row-by-row baseline ---------------------------------------------------------------------
def run_row_by_row(server: Server, patients: int, staff: int) -> dict:
    """The users/patients split as the seed's script does it: read each v1 user, then one
    INSERT per staff user into v2 users and one per patient into v2 patients. Who is staff
    comes from the real run's crosswalk, each UUID from the project's rule in Python."""
    create_database(server, ROWWISE, "v2", replace=True)
    v1, v2 = schema_facts.columns("v1"), schema_facts.columns("v2")
    user_cols = [c for c in v2["users"] if c in v1["users"]]
    person_cols = [c for c in v2["patients"] if c in v1["users"] and c not in v1["patients"]]
    row_cols = [c for c in v2["patients"] if c in v1["patients"] and c != "relation_patient_id"]
    reader, writer = server.connect(V1), server.connect(ROWWISE)
    writer.cursor().execute(LOAD_SETTINGS.format(unique=0))
    read = reader.cursor()
    write = writer.cursor()
    insert_user = (f"insert into users ({', '.join(user_cols)}) "
                   f"values ({', '.join(['%s'] * len(user_cols))})")
    insert_patient = (f"insert into patients (patient_id, national_id, {', '.join(person_cols + row_cols)}) "
                      f"values (%s, %s, {', '.join(['%s'] * (len(person_cols) + len(row_cols)))})")
    namespace = namespace_hex(SECRET)
    started = time.monotonic()
    rows = 0
    writer.start_transaction()
    read.execute(f"select staff.old_user_id is not null, {', '.join('u.' + c for c in user_cols)} from users u "
                 f"left join `{CROSSWALKS}`.int_staff_users_kept staff on staff.old_user_id = u.id "
                 "where u.id <= %s", (staff,))
    for row in read.fetchall():
        if row[0]:
            write.execute(insert_user, row[1:])
            rows += 1
    read.execute(f"select p.id, p.national_number, {', '.join('u.' + c for c in person_cols)}, "
                 f"{', '.join('p.' + c for c in row_cols)} from patients p join users u on u.id = p.user_id "
                 "where p.id <= %s", (patients,))
    for row in read.fetchall():
        write.execute(insert_patient, (patient_uuid(namespace, f"patients:{row[0]}"), *row[1:]))
        rows += 1
        if rows % 5000 == 0:
            writer.commit()
            writer.start_transaction()
    writer.commit()
    seconds = time.monotonic() - started
    reader.close()
    writer.close()
    return {"slice_patients": patients, "slice_staff": staff, "seconds": round(seconds, 2), "rows": rows,
            "rows_per_second": round(rows / seconds)}


# --- PostgreSQL as v2 ----------------------------------------------------------------------------
# The same v1, migrated by the real command into a PostgreSQL v2 (database MIGRATE on the
# PostgreSQL server, its landing copy and work schema beside it); the limit there; pgloader as
# the anchor for the landing copy.
PG_LIMIT = "limit_v2"  # the limit's v2: a schema of the real run's database, beside the landing copy


def pg_landing() -> str:
    """The real run's landing copy of v1 (a schema named after its database, as the driver names it)."""
    return f"{MIGRATE}_v1_landing"


@dataclass(frozen=True)
class PgDialect(Dialect):
    """PostgreSQL's way of writing the limit: double quotes, ON CONFLICT DO NOTHING where
    MariaDB says INSERT IGNORE, and each value cast to its v2 column's type where PostgreSQL
    needs it; catalog: the column types of the landing, work and target schemas."""
    quote: str = '"'
    insert: str = "insert into"
    on_conflict: str = " on conflict do nothing"
    table_options: str = ""
    types: dict = field(default_factory=lambda: {"id": "bigint", "uuid": "uuid"})
    catalog: dict = field(default_factory=dict)

    def value(self, alias: str, column: str, source: tuple[str, str], target: tuple[str, str]) -> str:
        return bench_postgres.cast(super().value(alias, column, source, target),
                                   self.type_of(*source, column), self.type_of("target", *target))

    def type_of(self, schema: str, table: str, column: str) -> str:
        crosswalk = next((x for x in LIMIT_CROSSWALKS if schema == "target" and x.name == table), None)
        if crosswalk:  # made by the limit's own statements, after the catalog was read
            return self.types[next(kind for name, kind, _ in crosswalk.columns if name == column)]
        return self.catalog[getattr(self, schema)][table][column]


def run_pg_migrate(server: Server, pg: PgServer, workdir: Path, mapping: Path, v1_tables: list[str]) -> dict:
    """moh-migrate into a fresh PostgreSQL v2; its landing copy counted, against its phase."""
    create_v2_schema(pg, MIGRATE)
    workdir.mkdir(parents=True, exist_ok=True)
    url = f"postgresql://{pg.user}:${{MOH_PG_PASSWORD:-}}@{pg.host}:{pg.port}/{MIGRATE}"
    measured = run_cli_measured(server, workdir, mapping, None, new_db_url=url)
    del measured["peak_rss_mb"]["server_mb"]  # PostgreSQL's processes are not sampled
    rows = bench_postgres.table_rows(pg, MIGRATE, pg_landing(), v1_tables)
    seconds = measured["phases"]["copy"]
    measured["copy"] = {"seconds": seconds, "rows": rows, "rows_per_second": round(rows / seconds)}
    return measured


def run_pg_limit(pg: PgServer, tables: list[str]) -> dict:
    """The limit on PostgreSQL, after run_pg_migrate: from its landing copy, through its
    crosswalks, into a v2 made by the same DDL in schema PG_LIMIT, foreign key checks off."""
    bench_postgres.create_limit_schema(pg, MIGRATE, PG_LIMIT)
    conn = bench_postgres.limit_connection(pg, MIGRATE)
    try:
        catalog = bench_postgres.column_types(conn, [pg_landing(), CROSSWALKS, PG_LIMIT])
        dialect = PgDialect(v1=pg_landing(), work=CROSSWALKS, target=PG_LIMIT, catalog=catalog)
        return time_statements(conn, limit_statements(tables, dialect))
    finally:
        conn.close()


def bench_postgres_scale(server: Server, pg: PgServer, generated: dict[str, int], tables: list[str], mapping: Path,
                         workdir: Path, baselines: bool, say) -> dict:
    """The PostgreSQL part of one scale. Without `baselines`, moh-migrate only."""
    say("moh-migrate into PostgreSQL")
    migrate = run_pg_migrate(server, pg, workdir / "postgres", mapping, list(generated))
    copy = migrate["copy"]
    say(f"into PostgreSQL {migrate['seconds']} s, its copy {copy['rows_per_second']:,} rows/s")
    if not baselines:
        return {"migrate": migrate}
    say("the PostgreSQL limit")
    limit = run_pg_limit(pg, tables)
    say(f"PostgreSQL limit {limit['seconds']} s ({limit['rows']:,} rows); pgloader")
    loader = None
    if bench_postgres.pgloader_version() is None:
        say(f"{bench_postgres.PGLOADER_MISSING}: left out")
    else:
        loader = bench_postgres.run_pgloader(server, pg, V1, PGLOADER, sum(generated.values()))
        say(f"pgloader {loader['seconds']} s ({loader['rows_per_second']:,} rows/s)")
    return {"pgloader": loader, "migrate": migrate, "limit": limit, "ratios": {
        "copy / pgloader (rows per second)": round(copy["rows_per_second"] / loader["rows_per_second"], 2)
        if loader else None,
        "migrate_total / limit": round(migrate["seconds"] / limit["seconds"], 2),
        "migrate_load / limit": round(migrate["phases"]["load"] / limit["seconds"], 2)}}


# --- the benchmark -------------------------------------------------------------------------------
def server_settings(conn) -> dict:
    cur = conn.cursor()
    cur.execute("select version(), @@innodb_buffer_pool_size, @@innodb_log_file_size, "
                "@@innodb_flush_log_at_trx_commit, @@innodb_doublewrite, @@max_connections")
    version, pool, log, flush, doublewrite, connections = cur.fetchone()
    return {"version": version, "innodb_buffer_pool_mb": int(pool) // 1048576,
            "innodb_log_file_mb": int(log) // 1048576, "innodb_flush_log_at_trx_commit": int(flush),
            "innodb_doublewrite": int(doublewrite), "max_connections": int(connections)}


def apply_settings(conn, buffer_pool_mb: int, redo_log_mb: int) -> dict:
    """Set the buffer pool and redo log sizes for the run (both are dynamic on MariaDB 10.11
    and the buffer pool on MySQL 8); return the values to put back."""
    before = server_settings(conn)
    cur = conn.cursor()
    if buffer_pool_mb:
        cur.execute(f"set global innodb_buffer_pool_size = {buffer_pool_mb * 1048576}")
    if redo_log_mb:
        try:
            cur.execute(f"set global innodb_log_file_size = {redo_log_mb * 1048576}")
        except Exception as e:  # read-only on MySQL 8 (innodb_redo_log_capacity there)
            print(f"  redo log size left as it is: {e}", file=sys.stderr)
    return before


def growth(scales: list[dict], key: tuple[str, str]) -> dict | None:
    """The exponent k in time ~ rows^k between each pair of consecutive scales (1 = linear)."""
    steps = []
    for small, large in zip(scales, scales[1:]):
        t0, t1 = small[key[0]][key[1]], large[key[0]][key[1]]
        r0, r1 = small["v1_rows"], large["v1_rows"]
        if t0 > 0 and t1 > 0 and r1 > r0:
            steps.append(round(math.log(t1 / t0) / math.log(r1 / r0), 2))
    return {"exponents": steps, "worst": max(steps)} if steps else None


def bench_scale(server: Server, patients: int, slice_patients: int, mapping: Path, workdir: Path,
                server_process: int | None, baselines: bool = True, pg: PgServer | None = None) -> dict:
    """One scale. Without `baselines`, only moh-migrate and the incremental run are measured
    (the limit and the row-by-row baseline take as long again at 1,000,000 patients). With `pg`,
    the PostgreSQL part too, on the same v1 (before it changes for the incremental run)."""
    say = lambda text: print(f"  {patients:>9,} patients: {text}", file=sys.stderr, flush=True)  # noqa: E731
    say("generating v1")
    generated = generate(server, V1, patients, seed=1)
    v1_rows = sum(generated.rows.values())
    generation = {"seconds": round(generated.seconds, 2), "rows": v1_rows, "tables": generated.rows,
                  "rows_per_second": round(v1_rows / generated.seconds)}
    carried = load_mapping(mapping).dbt_vars["carry_transient_tables"]
    tables = sorted(t for t, d in table_dispositions(carried).items() if d == "migrated")
    say(f"{v1_rows:,} v1 rows in {generated.seconds:.1f} s; moh-migrate")
    migrate = run_migrate(server, workdir, mapping, server_process)
    say(f"moh-migrate {migrate['seconds']} s ({migrate['rows']:,} rows)")
    if not baselines:
        postgres = bench_postgres_scale(server, pg, generated.rows, tables, mapping, workdir, False, say) if pg else None
        return {"patients": patients, "v1_rows": v1_rows, "generation": generation,
                **measure_incremental(server, workdir, mapping, server_process, migrate, say),
                **({"postgres": postgres} if postgres else {})}
    say("the limit")
    limit = run_limit(server, tables)
    say(f"limit {limit['seconds']} s ({limit['rows']:,} rows); the limit with unique checks on")
    checked = run_limit(server, tables, unique_checks=True)
    say(f"limit with unique checks {checked['seconds']} s; row by row")
    slice_n = min(slice_patients, patients)
    rowwise = run_row_by_row(server, slice_n, staff_count(slice_n))
    say(f"row by row {rowwise['rows_per_second']:,} rows/s")
    postgres = bench_postgres_scale(server, pg, generated.rows, tables, mapping, workdir, True, say) if pg else None
    measured = measure_incremental(server, workdir, mapping, server_process, migrate, say)
    # the same data: the users and patients models of the real run
    split = [migrate["models"][m] for m in ("users", "patients")]
    split_rows = sum(m["rows"] or 0 for m in split)
    split_seconds = sum(m["seconds"] for m in split)
    rowwise["scaled_seconds_for_whole_split"] = round(split_rows / rowwise["rows_per_second"], 1)
    return {
        "patients": patients,
        "v1_rows": v1_rows,
        "generation": generation,
        "limit": limit,
        "limit_unique_checks_on": checked,
        "migrate": migrate,
        "row_by_row": rowwise,
        "incremental": measured["incremental"],
        "ratios": {
            **measured["ratios"],
            "migrate_load / limit": round(migrate["phases"]["load"] / limit["seconds"], 2),
            "migrate_total / limit": round(migrate["seconds"] / limit["seconds"], 2),
            "migrate_load / limit with unique checks on": round(migrate["phases"]["load"] / checked["seconds"], 2),
            # seconds per row of the row-by-row split over seconds per row of the real run: on
            # the same data (its users and patients models), and over the whole load phase
            "row_by_row / migrate_load (per row)": round(
                (rowwise["seconds"] / rowwise["rows"]) / (split_seconds / split_rows), 2) if split_rows else None,
            "row_by_row / migrate_load (per row, all tables)": round(
                (rowwise["seconds"] / rowwise["rows"]) / (migrate["phases"]["load"] / migrate["rows"]), 2),
            # the ceiling on that data: the limit's own patients insert against the row-by-row
            "row_by_row / limit (per row, patients)": round(
                (rowwise["seconds"] / rowwise["rows"]) / (limit["tables"]["patients"]["seconds"] / limit["tables"]["patients"]["rows"]), 2),
        },
        **({"postgres": postgres} if postgres else {}),
    }


def measure_incremental(server: Server, workdir: Path, mapping: Path, server_process: int | None, migrate: dict,
                        say) -> dict:
    """1% of v1 changed as a live application would, then moh-migrate --incremental, timed
    against the full run of the same scale before the change."""
    say("v1 changed as a live application would (1%)")
    changed = live_changes(server, V1, 0.01)
    say(f"{sum(changed.values()):,} v1 rows changed; moh-migrate --incremental")
    incremental = run_incremental(server, workdir, mapping, server_process)
    incremental["v1_changes"] = changed
    say(f"incremental {incremental['seconds']} s ({incremental['applied']})")
    return {"migrate": migrate, "incremental": incremental,
            "ratios": {"incremental / migrate_total": round(incremental["seconds"] / migrate["seconds"], 2)}}


def postgres_table(results: dict) -> str:
    """The PostgreSQL part of each scale: the landing copy against pgloader, the whole run and
    its load against the PostgreSQL limit."""
    def timed(m: dict | None) -> str:
        return f"{m['seconds']:.1f} s ({m['rows_per_second']:,}/s)" if m else "-"
    lines = ["| patients | pgloader | moh-migrate copy | copy / pgloader | PostgreSQL limit | migrate load "
             "| migrate total | load / limit | total / limit |", "|" + "---|" * 9]
    for s in results["scales"]:
        if "postgres" not in s:
            continue
        p = s["postgres"]
        m, r = p["migrate"], p.get("ratios", {})
        lines.append(f"| {s['patients']:,} | {timed(p.get('pgloader'))} | {timed(m['copy'])} "
                     f"| {r.get('copy / pgloader (rows per second)') or '-'} | {timed(p.get('limit'))} "
                     f"| {m['phases']['load']:.1f} s | {timed(m)} "
                     f"| {r.get('migrate_load / limit', '-')} | {r.get('migrate_total / limit', '-')} |")
    return "\n".join(lines)


def table(results: dict) -> str:
    head = ("| patients | v1 rows | generate | limit | limit, unique checks on | migrate load | migrate total "
            "| row by row (scaled) | load / limit | load / limit, unique checks on | total / limit "
            "| row by row / migrate, per row | driver / dbt / server peak RSS | incremental, 1% changed |")
    lines = [head, "|" + "---|" * 14]
    for s in results["scales"]:
        m, r = s["migrate"], s["ratios"]
        if "limit" not in s:  # --no-baselines
            lines.append(f"| {s['patients']:,} | {s['v1_rows']:,} | {s['generation']['seconds']:.0f} s | - | - "
                         f"| {m['phases']['load']:.1f} s | {m['seconds']:.1f} s ({m['rows_per_second']:,}/s) | - | - | - | - | - "
                         f"| {m['peak_rss_mb']['driver_mb']:.0f} / {m['peak_rss_mb']['dbt_mb']:.0f} / "
                         f"{m['peak_rss_mb']['server_mb']:.0f} MB "
                         f"| {s['incremental']['seconds']:.1f} s ({r['incremental / migrate_total']} of a full run) |")
            continue
        lines.append(
            f"| {s['patients']:,} | {s['v1_rows']:,} | {s['generation']['seconds']:.0f} s "
            f"| {s['limit']['seconds']:.1f} s ({s['limit']['rows_per_second']:,}/s) "
            f"| {s['limit_unique_checks_on']['seconds']:.1f} s "
            f"| {m['phases']['load']:.1f} s | {m['seconds']:.1f} s ({m['rows_per_second']:,}/s) "
            f"| {s['row_by_row']['scaled_seconds_for_whole_split']:.0f} s ({s['row_by_row']['rows_per_second']:,}/s) "
            f"| {r['migrate_load / limit']} | {r['migrate_load / limit with unique checks on']} "
            f"| {r['migrate_total / limit']} | {r['row_by_row / migrate_load (per row)']} "
            f"| {m['peak_rss_mb']['driver_mb']:.0f} / {m['peak_rss_mb']['dbt_mb']:.0f} / {m['peak_rss_mb']['server_mb']:.0f} MB "
            f"| {s['incremental']['seconds']:.1f} s ({r['incremental / migrate_total']} of a full run) |")
    return "\n".join(lines)


# issue 13's targets for the real command on MariaDB, against the limit at the same scale
TARGETS = {"load": 1.2, "whole run": 2.0}
PHASE_NAMES = {"crosswalks": "crosswalks and candidate rows", "load": "load", "validation": "validation",
               "dbt_own": "dbt's own work", "pre_flight": "pre-flight", "reports": "reports", "other": "other"}


def where_the_time_goes(scale: dict, largest: int = 8) -> str:
    """At one scale: each target met or missed, and where the whole run's time went, phase by
    phase and in its largest models, so that a missed target says what it is missed on."""
    m, limit = scale["migrate"], scale["limit"]["seconds"]
    lines = [f"at {scale['patients']:,} patients, against the limit ({limit:.1f} s):"]
    for name, measured in (("load", m["phases"]["load"]), ("whole run", m["seconds"])):
        ratio, target = measured / limit, TARGETS[name]
        over = measured - target * limit
        verdict = "met" if over <= 0 else f"missed by {over:.1f} s"
        lines.append(f"  {name}: {measured:.1f} s, {ratio:.2f}x the limit (target {target}x: {verdict})")
    phases = sorted(((v, k) for k, v in m["phases"].items() if v), reverse=True)
    lines.append("  the whole run by phase: " + ", ".join(
        f"{PHASE_NAMES.get(k, k)} {v:.1f} s ({v / m['seconds']:.0%})" for v, k in phases))
    models = sorted(((v["seconds"], k) for k, v in m["models"].items()), reverse=True)[:largest]
    lines.append("  its largest models: " + ", ".join(f"{k} {v:.1f} s" for v, k in models))
    return "\n".join(lines)


def postgres_server(leave_out: bool) -> tuple[PgServer | None, dict]:
    """The PostgreSQL server the bench measures into, with its version, or None and why not."""
    if leave_out:
        return None, {"left_out": "--no-postgres"}
    pg = pg_from_env()
    why = pg_problem(pg)
    if why:
        print(f"PostgreSQL on {pg.host}:{pg.port} cannot be used ({why}): its part is left out", file=sys.stderr)
        return None, {"left_out": why}
    conn = pg.connect()
    try:
        with conn.cursor() as cur:
            cur.execute("show server_version")
            version = cur.fetchone()[0]
            cur.execute("show shared_buffers")
            return pg, {"version": version, "shared_buffers": cur.fetchone()[0],
                        "pgloader": bench_postgres.pgloader_version()}
    finally:
        conn.close()


def patients_list(text: str) -> list[int]:
    return sorted(int(s.replace("_", "")) for s in text.split(","))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m moh_dev.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,100000,1000000",
                        help="patients per run, comma separated (default 10000,100000,1000000)")
    parser.add_argument("--slice", type=int, default=50_000, help="patients in the row-by-row slice")
    parser.add_argument("--buffer-pool-mb", type=int, default=2048,
                        help="innodb_buffer_pool_size during the benchmark; 0 leaves it (restored after)")
    parser.add_argument("--redo-log-mb", type=int, default=1024,
                        help="innodb_log_file_size during the benchmark; 0 leaves it (restored after)")
    parser.add_argument("--mapping", default="mapping.example.yaml")
    parser.add_argument("--output", default="bench/results.json")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--prefix", default="bench", help="the databases' names start with it (default: bench)")
    parser.add_argument("--no-baselines", action="store_true",
                        help="measure moh-migrate and --incremental only, not the limit and the row-by-row way")
    parser.add_argument("--no-postgres", action="store_true",
                        help="leave PostgreSQL out (measured when one answers: MOH_PG_HOST/PORT/USER/PASSWORD)")
    parser.add_argument("--postgres-scales", help="the scales PostgreSQL is measured at, comma separated (default: all)")
    args = parser.parse_args(argv)
    scales = patients_list(args.scales)
    postgres_scales = set(patients_list(args.postgres_scales)) if args.postgres_scales else set(scales)
    use_prefix(args.prefix)
    server = Server(host=os.environ.get("MOH_DB_HOST", "127.0.0.1"), port=int(os.environ.get("MOH_DB_PORT", "3306")),
                    user=os.environ.get("MOH_DB_USER", "root"), password=os.environ.get("MOH_DB_PASSWORD", ""))
    foreign = foreign_tables(server, V1)
    if foreign:  # checked before anything changes: the clean-up below drops V1
        print(f"make bench: refused: database {V1} holds {len(foreign)} tables moh-generate-v1 did not make "
              f"({', '.join(foreign[:5])}); drop it yourself if it is a benchmark's", file=sys.stderr)
        return 4
    pg, pg_facts = postgres_server(args.no_postgres)
    admin = server.connect()
    # a stopped benchmark still puts the server's settings back and drops its databases
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("benchmark stopped"))
    before = apply_settings(admin, args.buffer_pool_mb, args.redo_log_mb)
    process = server_pid(admin)
    started = time.monotonic()
    results = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                           "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
               "server": server_settings(admin), "server_settings_before": before, "postgres_server": pg_facts,
               "command": "python -m moh_dev.bench " + " ".join(sys.argv[1:] if argv is None else argv),
               "row_by_row_slice_patients": args.slice, "scales": []}
    try:
        with tempfile.TemporaryDirectory(prefix="moh-bench-") as tmp:
            for patients in scales:
                results["scales"].append(bench_scale(server, patients, args.slice, Path(args.mapping), Path(tmp),
                                                     process, baselines=not args.no_baselines,
                                                     pg=pg if patients in postgres_scales else None))
                partial = Path(args.output).with_suffix(".partial.json")  # what is measured so far
                partial.parent.mkdir(parents=True, exist_ok=True)
                partial.write_text(json.dumps(results, indent=2) + "\n")
    finally:
        cur = admin.cursor()
        cur.execute(f"set global innodb_buffer_pool_size = {before['innodb_buffer_pool_mb'] * 1048576}")
        if args.redo_log_mb:
            try:
                cur.execute(f"set global innodb_log_file_size = {before['innodb_log_file_mb'] * 1048576}")
            except Exception:
                pass
        if not args.keep:
            for database in (V1, LIMIT, MIGRATE, CROSSWALKS, f"{MIGRATE}_backup", ROWWISE):
                drop_database(server, database)
            for database in (MIGRATE, PGLOADER) if pg else ():
                drop_pg_database(pg, database)
        admin.close()
    results["growth"] = {"migrate_total": growth(results["scales"], ("migrate", "seconds")),
                         "limit": growth(results["scales"], ("limit", "seconds"))
                         if all("limit" in s for s in results["scales"]) else None,
                         "note": "k in time ~ rows^k between consecutive scales; 1 is linear"}
    results["seconds"] = round(time.monotonic() - started, 1)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    measured = [s for s in results["scales"] if "limit" in s]
    if measured:
        print(where_the_time_goes(measured[-1]))
    if any("postgres" in s for s in results["scales"]):
        print(postgres_table(results))
    worst = (results["growth"]["migrate_total"] or {}).get("worst")
    if worst is not None:
        print(f"growth of the whole run: time ~ rows^{worst} at worst ({'linear or better' if worst <= 1.1 else 'WORSE than linear'})")
    print(f"{output} written in {results['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
