"""What one invocation runs with, resolved once and never changed: the config, the mapping, the
options, the names of the databases it uses and the paths it writes. Every task reads it."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from driver.config import Config, Endpoint
from driver.dbt_runner import DbtProcess, DbtResult, DbtTarget, run_dbt
from driver.mapping import Mapping
from driver.project import table_dispositions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    """The command line's flags."""

    dry_run: bool = False
    verbose: bool = False
    limit: int | None = None
    output_dir: Path = Path(".")
    rollback: bool = False
    replace_existing: bool = False
    incremental: bool = False  # --incremental, or enable_incremental_migration in the config

    @property
    def mode(self) -> str:
        if self.rollback:
            return "rollback"
        return "dry_run" if self.dry_run else "incremental" if self.incremental else "migrate"


@dataclass(frozen=True)
class Databases:
    """The databases (schemas) a run uses, by name."""

    v1: str  # the v1 database on the v1 server (old_db_url)
    v2: str  # the v2 database (new_db_url)
    work: str  # staging views, crosswalks, audit tables and the run record, on the v2 server
    backup: str  # the copy of the v2 tables a run replaces, on the v2 server
    landing: str  # v1 copied to the v2 server, when v1 lives on another server

    @classmethod
    def of(cls, config: Config) -> Databases:
        v2 = config.new.database
        prefix = v2
        if config.new.is_postgres:
            # PostgreSQL: v2 is a schema of the database (public by default); the migration's own
            # schemas are schemas of the same database, named after it (or after a ?schema=)
            prefix = v2 if config.new.schema == "public" else config.new.schema
            v2 = config.new.schema
        return cls(v1=config.old.database, v2=v2, work=config.work_schema or f"{prefix}_migrate",
                   backup=config.backup_schema or f"{prefix}_backup", landing=f"{prefix}_v1_landing")

    def v1_for_dbt(self, same_server: bool) -> str:
        """Where dbt, which runs on the v2 server, reads v1: the v1 database itself, or its
        landing copy when v1 lives on another server."""
        return self.v1 if same_server else self.landing


@dataclass(frozen=True)
class Paths:
    out: Path  # --output-dir, absolute: dbt runs in the project directory
    reports: Path
    dbt: Path  # dbt's profiles, target/ and logs/ live in folders under here

    def dbt_dir(self, name: str) -> Path:
        return self.dbt / name


@dataclass(frozen=True)
class Outcome:
    """What a task that succeeded hands back: its mode and what it produced (the validation
    report, the plan's totals, the restore's figures)."""

    mode: str
    v2_database: str
    summary: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RunContext:
    config: Config
    mapping: Mapping
    options: Options
    databases: Databases
    paths: Paths
    dispositions: MappingProxyType  # every v2 table -> migrated, transient or v2_owned
    # the dbt process every dbt call of the run goes to (the run's one resource; run.py closes it)
    dbt_process: DbtProcess = field(default_factory=DbtProcess, compare=False, repr=False)

    @classmethod
    def create(cls, config: Config, mapping: Mapping, options: Options) -> RunContext:
        out = options.output_dir.resolve()
        return cls(
            config=config, mapping=mapping, options=options, databases=Databases.of(config),
            paths=Paths(out=out, reports=out / "reports", dbt=out / ".moh-migrate" / "dbt"),
            dispositions=MappingProxyType(table_dispositions(mapping.dbt_vars["carry_transient_tables"])),
        )

    def tables(self, disposition: str) -> list[str]:
        return sorted(t for t, d in self.dispositions.items() if d == disposition)

    def dbt_vars(self, **extra) -> dict:
        """The vars of every dbt call: the mapping, where the work schema is, the run's options.
        replace_foreign_rows: the driver has decided about rows it did not write before dbt runs
        (its run record, --replace-existing) and has backed them up, so dbt's own check is off."""
        v = dict(self.mapping.dbt_vars)
        v.update(work_schema=self.databases.work, disable_fk_checks=self.config.disable_fk_checks,
                 sample_patients=self.options.limit, replace_foreign_rows=True,
                 v2_engine="postgres" if self.config.new.is_postgres else None)
        if self.options.mode == "incremental":
            v.update(apply_changes_only=True, keep_patient_uuids=True)
        v.update(extra)  # a dry run's plan keeps its session tables elsewhere (work_schema)
        return v

    def dbt_target(self, endpoint: Endpoint, v1_database: str, work_dir: Path, **extra_vars) -> DbtTarget:
        v2 = endpoint.schema if endpoint.is_postgres else endpoint.database  # the profile's schema
        return DbtTarget(server=endpoint.server, v2_database=v2, v1_database=v1_database,
                         adapter="postgres" if endpoint.is_postgres else "mariadb",
                         work_dir=work_dir, threads=self.config.threads, extra_vars=self.dbt_vars(**extra_vars))

    def dbt(self, target: DbtTarget, *args: str, on_node=None, process: DbtProcess | None = None) -> DbtResult:
        """dbt for this run: JSON events (errors collected), its files scrubbed unless log_pii.
        In the run's dbt process, or in `process` (a call beside it)."""
        started = time.monotonic()
        # dbt's own log: its SQL only with --verbose (migration.log has the run's story either way)
        result = run_dbt(target, *args, on_node=on_node, json_log=True, scrub=not self.config.log_pii,
                         log_level_file="debug" if self.options.verbose else "info", compact=True,
                         process=process or self.dbt_process)
        log.debug("   dbt %s (%s): %.1fs", args[0], target.work_dir.name, time.monotonic() - started)
        return result
