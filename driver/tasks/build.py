"""dbt's part of a real run: the work schema and the patient UUID namespace, then the models
and tests, whole or, for a resumed run, the rest of them."""
from __future__ import annotations

import logging
from collections.abc import Callable

from driver.dbt_runner import DbtResult, DbtTarget, merge_results
from driver.events import Phases
from driver.patient_uuid import namespace_hex
from driver.pg import is_postgres
from driver.safety.record import quote
from driver.tasks.context import RunContext

log = logging.getLogger(__name__)


def build(ctx: RunContext, target: DbtTarget, conn, phases: Phases, kept: frozenset[str], on_node) -> DbtResult:
    """`target`: the run's dbt target on v2 (preflight.v2_target); `kept`: models an
    interrupted attempt finished (their unique ids), which stay as they are."""
    c = ctx.config
    with phases("dbt: crosswalks, v2 tables" + (" and tests" if c.validate_after_migration else "")):
        prepared = ctx.dbt(target, "run-operation", "prepare_work_schema")
        if not prepared.ok:
            raise prepared.failure("preparing the work schema")
        if c.patient_uuid_secret:
            # written here, through a parameter, so the secret never appears in dbt's SQL or logs
            if is_postgres(conn):
                conn.cursor().execute(f"insert into {quote(ctx.databases.work)}.patient_uuid_namespace "
                                      "(id, namespace_hex) values (1, %s) on conflict (id) do update "
                                      "set namespace_hex = excluded.namespace_hex", (namespace_hex(c.patient_uuid_secret),))
            else:
                conn.cursor().execute(f"replace into {quote(ctx.databases.work)}.patient_uuid_namespace "
                                      "(id, namespace_hex) values (1, %s)", (namespace_hex(c.patient_uuid_secret),))
        command = "build" if c.validate_after_migration else "run"
        if not kept:
            return ctx.dbt(target, command, on_node=on_node)
        names = sorted(uid.split(".")[-1] for uid in kept)
        log.info("   %d models finished by the interrupted attempt are kept; building the rest", len(names))
        return build_rest(lambda *args: ctx.dbt(target, *args, on_node=on_node), command, names)


def build_rest(dbt: Callable[..., DbtResult], command: str, kept: list[str]) -> DbtResult:
    """The resume: build what the interrupted attempt did not finish (`kept`: model names it
    did). The tests that only read kept models run first, so a failure stops the run before
    anything is written; the tests that also read rebuilt models run with them or after them."""
    steps = []
    if command == "build":
        steps.append(dbt("test", "--select", *kept, "--indirect-selection", "cautious"))
        if not steps[-1].ok:
            return merge_results(steps)
    steps.append(dbt(command, "--exclude", *kept))
    if command == "build":
        done = [name for step in steps for name in step.tests_run()]
        steps.append(dbt("test", "--select", *kept, *(["--exclude", *done] if done else [])))
    return merge_results(steps)
