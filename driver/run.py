"""One run of moh-migrate, phase by phase: connect, pre-flight, (copy v1 across servers), dbt,
reports. A dry run compiles and measures with SELECTs only and writes nothing to either
database. Every failure becomes a RunFailed with one line and an exit code."""
from __future__ import annotations

import hashlib
import json
import logging
import resource
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import click
import sqlglot
import sqlglot.errors

from driver import plan as plans
from driver import logs, reports, safety, schema, schema_facts
from driver.config import Config, Endpoint
from driver.connections import ConnectionProblem, connect, require_privileges, server_identity, table_names
from driver.copy import copy_to_landing
from driver.dbt_runner import DbtResult, DbtTarget, NodeFinished, merge_results, run_dbt
from driver.errors import EXIT_CONNECTION, EXIT_FAILED, EXIT_OK, EXIT_PREFLIGHT, RunFailed
from driver.mapping import Mapping
from driver.project import table_dispositions

log = logging.getLogger(__name__)

WORK_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "INDEX", "CREATE VIEW"]


@dataclass
class Options:
    dry_run: bool = False
    verbose: bool = False
    limit: int | None = None
    output_dir: Path = Path(".")
    rollback: bool = False
    replace_existing: bool = False


def dispositions(mapping: Mapping) -> dict[str, str]:
    return table_dispositions(mapping.dbt_vars["carry_transient_tables"])


class Migration:
    def __init__(self, config: Config, mapping: Mapping, options: Options):
        self.config, self.mapping, self.options = config, mapping, options
        self.out = options.output_dir.resolve()  # dbt runs in the project directory
        self.reports = self.out / "reports"
        self.dbt_dir = self.out / ".moh-migrate" / "dbt"
        self.work = config.work_schema or f"{config.new.database}_migrate"
        self.landing = f"{config.new.database}_v1_landing"
        self.backup_schema = config.backup_schema or f"{config.new.database}_backup"
        self.record: safety.RunRecord | None = None
        self.state: safety.RunState | None = None
        self.timings: dict[str, float] = {}
        self.copy_peak_rss_mb = None
        self.same_server = True
        self.old_conn = self.new_conn = None

    # --- helpers -----------------------------------------------------------------------------
    @contextmanager
    def phase(self, name: str):
        log.info("== %s", name)
        started = time.monotonic()
        try:
            yield
        finally:
            self.timings[name] = round(time.monotonic() - started, 3)
            log.debug("   %s: %.2fs", name, self.timings[name])

    def dbt_vars(self, **extra) -> dict:
        v = dict(self.mapping.dbt_vars)
        v.update(work_schema=self.work, disable_fk_checks=self.config.disable_fk_checks,
                 sample_patients=self.options.limit, **extra)
        return v

    def target(self, endpoint: Endpoint, v1_schema: str, name: str, **extra_vars) -> DbtTarget:
        return DbtTarget(server=endpoint.server, v2_database=endpoint.database, v1_database=v1_schema,
                         work_dir=self.dbt_dir / name, threads=self.config.threads,
                         extra_vars=self.dbt_vars(**extra_vars))

    def dbt(self, target: DbtTarget, *args: str, progress: bool = False):
        return run_dbt(target, *args, on_node=self._on_node if progress else (lambda node: None),
                       scrub=not self.config.log_pii)

    def _on_node(self, node: NodeFinished) -> None:
        if not node.is_test:
            if self.record is not None and node.status == "success":
                self.record.model_finished(node.unique_id)
            log.info("   [%3d/%d] %-40s %s %.1fs", node.index, node.total, node.name, node.shown, node.seconds)
        elif node.status != "pass":
            log.warning("   test %s: %s (%s rows)", node.name, node.status, node.failures)
        else:
            log.debug("   test %s: pass %.2fs", node.name, node.seconds)

    def _dbt_failure(self, result, what: str) -> RunFailed:
        return result.failure(what)

    # --- phases --------------------------------------------------------------------------------
    def connect(self, old: bool = True) -> None:
        c = self.config
        with self.phase("connect"):
            try:
                if old:
                    self.old_conn = connect(c.old, "old", attempts=c.retry_attempts, delay=c.retry_delay_seconds)
                self.new_conn = connect(c.new, "new", attempts=c.retry_attempts, delay=c.retry_delay_seconds)
            except ConnectionProblem as e:
                raise RunFailed(str(e), EXIT_CONNECTION) from None
            if not self.options.dry_run:  # held until this connection closes, or the process dies
                safety.acquire_lock(self.new_conn, c.new.database)
            if not old:
                return
            self.same_server = server_identity(self.old_conn) == server_identity(self.new_conn)
            log.info("   v1: %s", c.old.describe())
            log.info("   v2: %s%s", c.new.describe(), " (the same server)" if self.same_server else " (another server)")

    def check_privileges_and_tables(self) -> None:
        c = self.config
        with self.phase("pre-flight: privileges and tables"):
            try:
                require_privileges(self.old_conn, "old", c.old, c.old.database, ["SELECT"])
                require_privileges(self.new_conn, "new", c.new, c.new.database,
                                   ["SELECT"] if self.options.dry_run else ["SELECT", "INSERT", "DELETE"])
                if not self.options.dry_run:
                    require_privileges(self.new_conn, "new", c.new, self.work, WORK_PRIVILEGES)
                    if c.backup_before_migration:
                        require_privileges(self.new_conn, "new", c.new, self.backup_schema, WORK_PRIVILEGES)
                    if self.same_server:
                        require_privileges(self.new_conn, "new", c.new, c.old.database, ["SELECT"])
                    else:
                        require_privileges(self.new_conn, "new", c.new, self.landing, WORK_PRIVILEGES)
            except ConnectionProblem as e:
                raise RunFailed(str(e), EXIT_CONNECTION) from None
            expected = set(schema_facts.columns("v2"))
            missing_v2 = sorted(expected - table_names(self.new_conn, c.new.database))
            if missing_v2:
                raise RunFailed(f"pre-flight: v2 database {c.new.database} lacks {len(missing_v2)} tables "
                                f"({', '.join(missing_v2[:8])}{'...' if len(missing_v2) > 8 else ''}); "
                                "create the v2 schema first", EXIT_PREFLIGHT)
            needed_v1 = set(schema_facts.columns("v1")) - {t for t, d in dispositions(self.mapping).items() if d == "v2_owned"}
            missing_v1 = sorted(needed_v1 - table_names(self.old_conn, c.old.database))
            if missing_v1:
                raise RunFailed(f"pre-flight: v1 database {c.old.database} lacks {len(missing_v1)} tables "
                                f"({', '.join(missing_v1[:8])}{'...' if len(missing_v1) > 8 else ''})", EXIT_PREFLIGHT)

    def snapshots(self) -> dict:
        c = self.config
        self.v1_schema = schema.snapshot(self.old_conn, c.old.database)
        self.v2_schema = schema.snapshot(self.new_conn, c.new.database)
        return {c.old.database: schema.columns_for_dbt(self.v1_schema),
                c.new.database: schema.columns_for_dbt(self.v2_schema)}

    def compile_project(self, snapshot: dict):
        """dbt compile of everything against v2 (nothing is written): runs the pre-flight checks
        of int_v2_tables_checked and renders the analyses."""
        with self.phase("pre-flight: compile the dbt project"):
            target = self.target(self.config.new, self.config.old.database, "compile", schema_snapshot=snapshot)
            result = self.dbt(target, "compile")
            if not result.ok:
                raise self._dbt_failure(result, "pre-flight")
            self.compiled = target.work_dir / "target"
            return target

    def parse_compiled_sql(self) -> int:
        with self.phase("dry run: parse every compiled statement (sqlglot, MySQL)"):
            files = sorted((self.compiled / "compiled").rglob("*.sql"))
            for path in files:
                try:
                    sqlglot.parse(path.read_text("utf-8"), read="mysql")
                except sqlglot.errors.SqlglotError as e:
                    where = path.relative_to(self.compiled / "compiled")
                    raise RunFailed(f"dry run: {where} does not parse as MySQL: {str(e).splitlines()[0]}") from None
            log.info("   %d compiled statements parse", len(files))
            return len(files)

    def write_schema_files(self) -> None:
        c = self.config
        self.out.mkdir(parents=True, exist_ok=True)
        copy_file(self.compiled / "compiled" / "moh_migrate" / "analyses" / "post_migration_checks.sql",
                    self.out / "post_migration_checks.sql")
        if self.config.generate_schema_diff:
            manifest = json.loads((self.compiled / "manifest.json").read_text())
            specs = {n["name"]: n["config"].get("spec") or {} for n in manifest["nodes"].values()
                     if n["resource_type"] == "model" and n["config"].get("spec") is not None}
            (self.out / "schema_diff.md").write_text(schema.diff_markdown(
                self.v1_schema, self.v2_schema, specs, self.mapping.dbt_vars["enum_remaps"],
                dispositions(self.mapping), c.old.database, c.new.database), encoding="utf-8")

    def measure_plan(self, snapshot: dict) -> None:
        """reports/migration_plan.json: what a real run would load and reject, measured read-only."""
        c = self.config
        with self.phase("plan: measure what each table would load and reject (SELECT only)"):
            target = self.target(c.old, c.old.database, "plan", schema_snapshot=snapshot, plan_only=True,
                                 v2_schema=c.new.database)
            result = self.dbt(target, "compile", "--select", "path:models/v2", "path:models/audit/migration_dropped_values.sql",
                              "path:analyses/plan_value_changes.sql", "--exclude", "resource_type:test")
            if not result.ok:
                raise self._dbt_failure(result, "plan")

            def progress(i, total, table):
                log.debug("   plan [%d/%d] %s", i, total, table)
            plan = plans.build_plan(self.old_conn, target.work_dir / "target", dispositions(self.mapping),
                                    c.old.database, progress)
        plan = {
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "v1": c.old.describe(), "v2": c.new.describe(), "same_server": self.same_server,
            "sample_patients": self.options.limit, **plan,
        }
        reports.write_json(self.reports / "migration_plan.json", plan)
        t = plan["totals"]
        log.info("   plan: %d v1 rows; %d to load, %d rejected, %d loaded with changes",
                 t["v1_rows"], t["rows_to_load"], t["rows_rejected"], t["rows_loaded_with_changes"])

    def copy_v1(self) -> None:
        c = self.config
        with self.phase(f"copy v1 to {self.landing} on the v2 server"):
            # all of them: the reconciliation counts the v1 rows of the tables not carried too
            tables = sorted(schema_facts.columns("v1"))

            bars = {}

            def progress(table, done, total):
                if sys.stderr.isatty():  # a bar per table on a terminal; plain log lines elsewhere
                    if table not in bars:
                        bars[table] = click.progressbar(length=total, label=f"   {table:<40}", file=sys.stderr)
                        bars[table].__enter__()
                    bars[table].update(done - bars[table].pos)
                    if done >= total:
                        bars.pop(table).__exit__(None, None, None)
                log.debug("   %s: %d/%d rows", table, done, total)
            writer = connect(c.new, "new", database=False)
            reader = connect(c.old, "old")
            try:
                copied = copy_to_landing(reader, writer, c.old.database, self.landing, tables,
                                         c.batch_size, c.bulk_insert_size, progress)
            finally:
                for bar in bars.values():
                    bar.__exit__(None, None, None)
                reader.close()
                writer.close()
            self.copy_peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            log.info("   %d rows in %d tables; driver peak memory %.1f MB", sum(copied.values()), len(copied),
                     self.copy_peak_rss_mb)

    def run_sql(self, label: str, statements) -> None:
        if not statements:
            return
        with self.phase(label):
            cur = self.new_conn.cursor()
            for i, statement in enumerate(statements, 1):
                started = time.monotonic()
                cur.execute(statement)
                if cur.with_rows:
                    cur.fetchall()
                log.debug("   statement %d: %.2fs", i, time.monotonic() - started)

    def prepare_namespace(self, target: DbtTarget) -> None:
        """The work schema and the UUID namespace. The secret is written here, through a
        parameter, so it never appears in dbt's SQL or logs."""
        result = self.dbt(target, "run-operation", "prepare_work_schema")
        if not result.ok:
            raise self._dbt_failure(result, "preparing the work schema")
        if self.config.patient_uuid_secret:
            namespace = hashlib.sha256(self.config.patient_uuid_secret.encode("utf-8")).hexdigest()[:32]
            self.new_conn.cursor().execute(
                f"replace into `{self.work}`.patient_uuid_namespace (id, namespace_hex) values (1, %s)", (namespace,))

    def build(self):
        c = self.config
        v1_schema = c.old.database if self.same_server else self.landing
        target = self.target(c.new, v1_schema, "build")
        with self.phase("dbt: crosswalks, v2 tables" + (" and tests" if c.validate_after_migration else "")):
            self.prepare_namespace(target)
            command = "build" if c.validate_after_migration else "run"
            finished = sorted(self.state.finished_models) if self.state else []
            if not finished:
                self.build_result = self.dbt(target, command, progress=True)
            else:
                self.build_result = self.resume_build(target, command, finished)
        return target

    def resume_build(self, target: DbtTarget, command: str, finished: list[str]) -> DbtResult:
        """Build what the interrupted attempt did not finish. The tests that only read finished
        models run first (a failure stops the run before anything is written); the tests that
        also read rebuilt models run with them or after them."""
        names = [uid.split(".")[-1] for uid in finished]
        log.info("   %d models finished by the interrupted attempt are kept; building the rest", len(names))
        steps = []
        if command == "build":
            steps.append(self.dbt(target, "test", "--select", *names, "--indirect-selection", "cautious", progress=True))
            if not steps[-1].ok:
                return merge_results(steps)
        steps.append(self.dbt(target, command, "--exclude", *names, progress=True))
        if command == "build":
            done = [r["unique_id"].split(".")[2] for step in steps for r in step.results
                    if r["unique_id"].startswith("test.")]
            exclude = ["--exclude", *done] if done else []
            steps.append(self.dbt(target, "test", "--select", *names, *exclude, progress=True))
        return merge_results(steps)

    def custom_validation(self) -> list[dict]:
        results = []
        cur = self.new_conn.cursor()
        for query in self.config.custom_validation_queries:
            cur.execute(query.sql)
            rows = cur.fetchall() if cur.with_rows else []
            value = rows[0][0] if rows and rows[0] else None
            passed = not rows or value in (0, "0", None)
            results.append({"name": query.name, "passed": passed, "value": value, "rows": len(rows)})
            (log.info if passed else log.warning)("   custom validation %s: %s", query.name, "pass" if passed else "FAIL")
        return results

    def built(self, model: str) -> bool:
        """Whether this run built the model (a failed test upstream skips it), or the
        interrupted attempt it resumes did."""
        unique_id = f"model.moh_migrate.{model}"
        if self.state and unique_id in self.state.finished_models:
            return True
        return any(r["unique_id"] == unique_id and r["status"] == "success" for r in self.build_result.results)

    def write_reports(self, custom: list[dict]) -> dict:
        """Whatever this run produced, also when it failed: what was not built is left out
        (never taken from an earlier run)."""
        c = self.config
        with self.phase("reports"):
            if c.generate_crosswalks and self.built("int_patients_minted") and self.built("int_staff_users_kept"):
                written = reports.write_crosswalks(self.new_conn, self.work, self.reports, c.batch_size)
                for name, rows in written.items():
                    log.info("   reports/%s: %d rows", name, rows)
            complete = self.built("migration_exceptions") and self.built("migration_reconciliation")
            if complete:
                exceptions = reports.write_exceptions(self.new_conn, self.work, self.reports, c.batch_size)
                log.info("   reports/exceptions.csv: %d rows", exceptions)
            if not c.generate_validation_report:
                return {}
            tables = reports.reconciliation(self.new_conn, self.work) if complete else []
            checksums = reports.table_checksums(self.new_conn, c.new.database, sorted(schema_facts.columns("v2")))
            for t in tables:
                t["v2_checksum"] = checksums[t["table_name"]]
            results = self.build_result.results
            v2_prefix = f"`{c.new.database}`."
            loaded = sum((r.get("adapter_response") or {}).get("rows_affected") or 0 for r in results
                         if (r.get("relation_name") or "").startswith(v2_prefix))
        build_seconds = self.timings.get(next(k for k in self.timings if k.startswith("dbt:")), 0)
        report = {
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "status": "passed" if self.build_result.ok and all(q["passed"] for q in custom) else "failed",
            "v1": c.old.describe(), "v2": c.new.describe(), "same_server": self.same_server,
            "sample_patients": self.options.limit,
            "tables": tables,
            "v2_checksums": checksums,
            "tests": {"summary": self.build_result.by_status("test"), "results": reports.dbt_results(results)},
            "exceptions_by_reason": reports.exceptions_by_reason(self.new_conn, self.work) if complete else {},
            "custom_validation": custom,
            "rows_loaded": loaded,
            "rows_per_second": round(loaded / build_seconds) if build_seconds else None,
            "timings_seconds": {"phases": self.timings,
                                "models": {r["unique_id"]: round(r.get("execution_time") or 0, 3)
                                           for r in results if r["unique_id"].startswith("model.")}},
            "run": {"run_id": self.state.run_id if self.state else None,
                    "resumed": bool(self.state and self.state.resumed),
                    "models_kept_from_interrupted_attempt": len(self.state.finished_models) if self.state else 0,
                    "backup": self.state.backup if self.state else {}},
            "driver_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "driver_peak_rss_mb_after_copy": self.copy_peak_rss_mb,
        }
        reports.write_json(self.out / "validation_report.json", report)
        return report

    # --- the run record, the backup and the rollback --------------------------------------------
    def state_tables(self) -> list[str]:
        """The v2 tables a run replaces."""
        return sorted(t for t, d in dispositions(self.mapping).items() if d == "migrated")

    def begin_run(self) -> None:
        c = self.config
        with self.phase("pre-flight: run record" + (" and backup" if c.backup_before_migration else "")):
            self.record = safety.RunRecord(self.new_conn, self.work, c.new.database, self.backup_schema)
            inputs = safety.fingerprint(self.dbt_vars(), c.patient_uuid_secret)
            self.state = self.record.begin(self.state_tables(), inputs, backup=c.backup_before_migration,
                                           replace_existing=self.options.replace_existing)

    def migrate(self) -> dict:
        if not self.same_server:
            self.copy_v1()
        self.run_sql("pre_migration_sql", self.config.pre_migration_sql)
        self.build()
        self.reconnect_if_lost()
        if self.build_result.ok:
            self.run_sql("post_migration_sql", self.config.post_migration_sql)
        custom = self.custom_validation() if self.build_result.ok else []
        report = self.write_reports(custom)
        if not self.build_result.ok:
            raise self._dbt_failure(self.build_result, "migration failed")
        failed = [q["name"] for q in custom if not q["passed"]]
        if failed:
            raise RunFailed(f"validation failed: custom validation queries {', '.join(failed)}")
        return report

    def reconnect_if_lost(self) -> None:
        """The v2 server may have restarted under dbt: the driver's connection, and the run
        lock it held, are gone. Connect again and take the lock again, or say so."""
        if self.new_conn.is_connected():
            return
        c = self.config
        log.warning("   the connection to the v2 server was lost during the run; connecting again")
        try:
            self.new_conn = connect(c.new, "new", attempts=c.retry_attempts, delay=c.retry_delay_seconds)
        except ConnectionProblem as e:
            raise RunFailed(f"{e}; run the same command again to resume", EXIT_CONNECTION) from None
        safety.acquire_lock(self.new_conn, c.new.database)
        self.record.conn = self.new_conn

    def end_failed(self, error: BaseException) -> None:
        """Record the failure (the next run resumes this one) and, with rollback_on_failure,
        put v2 back. The record is written on a fresh connection: the run's may be the reason
        it failed."""
        c = self.config
        try:
            conn = connect(c.new, "new", attempts=c.retry_attempts, delay=c.retry_delay_seconds)
        except ConnectionProblem:
            log.warning("   cannot record the failure: the next run will resume this one")
            return
        try:
            record = safety.RunRecord(conn, self.work, c.new.database, self.backup_schema)
            record.run_id = self.record.run_id
            record.failed(str(error) or type(error).__name__)
            if c.rollback_on_failure and isinstance(error, RunFailed):
                if not self.state.backup_done:
                    log.warning("   rollback_on_failure: this run took no backup; v2 is left as the run left it")
                    return
                with self.phase("rollback (rollback_on_failure)"):
                    record.restore(record.latest())
                error.args = (f"{error.args[0]}; v2 was restored from the backup",)
            elif self.state.backup_done:
                log.info("   v2 can be put back as it was before this run: moh-migrate --config %s --mapping ... "
                         "--rollback; or run the same command again to resume", c.source)
        finally:
            conn.close()

    def rollback(self) -> int:
        """--rollback: v2 back to its content before the last run, from that run's backup."""
        try:
            self.connect(old=False)
            with self.phase("rollback"):
                record = safety.RunRecord(self.new_conn, self.work, self.config.new.database, self.backup_schema)
                run = record.restorable()
                log.info("   restoring the v2 tables of run #%d (started %s UTC) from %s", run["run_id"],
                         run["started_at"], run["backup_schema"])
                record.restore(run, lambda i, n, t: log.debug("   [%d/%d] %s", i, n, t))
            return EXIT_OK
        finally:
            if self.new_conn is not None:
                self.new_conn.close()

    # --- the two runs ----------------------------------------------------------------------------
    def execute(self) -> int:
        try:
            self.connect()
            self.check_privileges_and_tables()
            snapshot = self.snapshots()
            self.compile_project(snapshot)
            self.write_schema_files()
            if self.options.dry_run:
                # a real run skips the plan: it would cost about twice the load, and the
                # validation report gives the actual outcome per table
                self.measure_plan(snapshot)
                self.parse_compiled_sql()
                log.info("dry run done: schema_diff.md, post_migration_checks.sql, reports/migration_plan.json "
                         "(nothing was written to either database)")
                return EXIT_OK
            self.begin_run()
            try:
                report = self.migrate()
            except BaseException as e:
                self.end_failed(e)
                raise
            self.record.succeeded(report.get("v2_checksums") or reports.table_checksums(
                self.new_conn, self.config.new.database, self.state_tables()))
            log.info("done: %s rows loaded into %s; validation passed (%s)", report.get("rows_loaded"),
                     self.config.new.database, ", ".join(f"{n} {k}" for k, n in report.get("tests", {})
                                                          .get("summary", {}).items()))
            return EXIT_OK
        finally:
            for conn in (self.old_conn, self.new_conn):
                if conn is not None:
                    conn.close()



def copy_file(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(source.read_bytes())
