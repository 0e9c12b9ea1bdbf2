"""reports/migration_plan.json: what a migration would do, measured with SELECTs only.

The dbt project compiled with var plan_only turns every model into one SELECT (ephemeral CTEs,
parents read as the rows they would load). For each v2 table that query gives, per v1 row, the
reject and change reasons a real run would record; grouped here, they are the plan.
"""
from __future__ import annotations

import logging
import re
import time
from pathlib import Path

log = logging.getLogger(__name__)

ID_VALUES = re.compile(r"=[^ ;:]+")


def compiled(target_dir: Path, kind: str, name: str) -> str:
    path = target_dir / "compiled" / "moh_migrate" / kind / f"{name}.sql"
    return path.read_text("utf-8")


def reason_kind(reason: str) -> str:
    """A reason without its ids, so that equal reasons group: 'doctor_id=7 not in doctors'
    -> 'doctor_id=… not in doctors'."""
    return ID_VALUES.sub("=…", reason)


def table_plan(conn, target_dir: Path, table: str, v1_schema: str) -> dict:
    sql = compiled(target_dir, "models/v2", table)
    cur = conn.cursor()
    started = time.monotonic()
    cur.execute(
        "select _reject_reason is not null as rejected, coalesce(_reject_reason, _change_reason) as reason, count(*) "
        f"from ({sql}) as candidate group by 1, 2")
    to_load = rejected = changed = 0
    reasons: dict[str, int] = {}
    for is_rejected, reason, count in cur.fetchall():
        if is_rejected:
            rejected += count
        else:
            to_load += count
            if reason is not None:
                changed += count
        if reason is not None:
            key = ("rejected: " if is_rejected else "changed: ") + reason_kind(reason)
            reasons[key] = reasons.get(key, 0) + count
    cur.execute(f"select count(*) from `{v1_schema}`.`{table}`")
    v1_rows = cur.fetchone()[0]
    log.debug("plan %s: %.2fs", table, time.monotonic() - started)
    return {
        "v1_rows": v1_rows,
        "rows_to_load": to_load,
        "rows_rejected": rejected,
        "rows_loaded_with_changes": changed,
        "exceptions_by_reason": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
    }


def value_changes(conn, target_dir: Path) -> list[dict]:
    cur = conn.cursor()
    cur.execute(compiled(target_dir, "analyses", "plan_value_changes"))
    return [{"rule": rule, "table": table, "column": column, "v1_value": v1, "v2_value": v2,
             "enabled": bool(enabled), "values_changed": int(changed)}
            for rule, table, column, v1, v2, enabled, changed in cur.fetchall()]


def columns_without_v2_home(conn, target_dir: Path) -> list[dict]:
    cur = conn.cursor()
    cur.execute(compiled(target_dir, "models/audit", "migration_dropped_values"))
    return [{"table": t, "column": c, "why": why, "non_null_values": int(n)} for t, c, why, n in cur.fetchall()]


def build_plan(conn, target_dir: Path, tables: dict[str, str], v1_schema: str, progress=None) -> dict:
    """`tables`: every v2 table -> its disposition (migrated, transient, v2_owned)."""
    per_table = {}
    migrated = [t for t, d in sorted(tables.items()) if d == "migrated"]
    for i, table in enumerate(migrated, 1):
        if progress:
            progress(i, len(migrated), table)
        per_table[table] = {"disposition": "migrated", **table_plan(conn, target_dir, table, v1_schema)}
    cur = conn.cursor()
    for table, disposition in sorted(tables.items()):
        if disposition != "migrated":
            cur.execute(f"select count(*) from `{v1_schema}`.`{table}`")
            per_table[table] = {"disposition": disposition, "v1_rows": cur.fetchone()[0], "rows_to_load": 0,
                                "note": "not carried: v2 keeps what it has"}
    return {
        "tables": per_table,
        "totals": {
            "v1_rows": sum(t["v1_rows"] for t in per_table.values()),
            "rows_to_load": sum(t["rows_to_load"] for t in per_table.values()),
            "rows_rejected": sum(t.get("rows_rejected", 0) for t in per_table.values()),
            "rows_loaded_with_changes": sum(t.get("rows_loaded_with_changes", 0) for t in per_table.values()),
        },
        "value_changes": value_changes(conn, target_dir),
        "columns_without_v2_home": columns_without_v2_home(conn, target_dir),
    }
