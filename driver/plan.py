"""reports/migration_plan.json: what a migration would do, measured with SELECTs only.

The dbt project compiled with var plan_only turns every model into one SELECT (ephemeral CTEs,
parents read as the rows they would load). The checked model of each v2 table
(int_<table>_checked) gives, per v1 row, the verdict a real run would record: rejected, changed,
the root of a cascade, the values v2 cannot store. Grouped here, they are the plan; a real run
loads from the same models, so its outcome is the plan.
"""
from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path

log = logging.getLogger(__name__)

ID_VALUES = re.compile(r"=[^ ;:]+")
CHECKED = re.compile(r"^int_(\w+)_checked$")


def compiled(target_dir: Path, kind: str, name: str) -> str:
    path = target_dir / "compiled" / "moh_migrate" / kind / f"{name}.sql"
    return path.read_text("utf-8")


def checked_specs(manifest: dict) -> dict[str, dict]:
    """{v2 table: the spec its checked model declares} from dbt's manifest."""
    specs = {}
    for node in manifest["nodes"].values():
        match = CHECKED.match(node["name"]) if node["resource_type"] == "model" else None
        if match and node["config"].get("spec") is not None:
            specs[match.group(1)] = node["config"]["spec"]
    return specs


def reason_kind(reason: str) -> str:
    """A reason without its ids, so that equal reasons group: 'doctor_id=7 not in doctors'
    -> 'doctor_id=… not in doctors'."""
    return ID_VALUES.sub("=…", reason)


# --- session tables: each work table evaluated once, as in a real run ---------------------------

SKIPPED_IN_PLAN = {"int_unstorable_values"}  # the plan reads the values from the checked rows


def quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def session_table_ddl(node: dict, database: str, sql: str) -> str:
    """CREATE TEMPORARY TABLE for a work_table model, with the keys and column types its
    config declares (as macros/materializations/work_table.sql makes the real one)."""
    config = node["config"]
    parts = [f"{quoted(c)} {t}" for c, t in (config.get("column_types") or {}).items()]
    key = config.get("primary_key") or []
    if key:
        parts.append("primary key (" + ", ".join(quoted(c) for c in key) + ")")
    for columns in config.get("key_indexes") or []:
        parts.append("key (" + ", ".join(quoted(c) for c in columns) + ")")
    order = (" order by " + ", ".join(quoted(c) for c in key)) if key else ""
    definition = ("(" + ", ".join(parts) + ") ") if parts else ""
    return (f"create temporary table {quoted(database)}.{quoted(node['name'])} {definition}"
            f"engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci "
            f"as select * from ({sql}) as work_rows{order}")


def session_tables(conn, target_dir: Path, database: str, progress=None) -> list[str]:
    """Make the work tables the plan reads (crosswalks, classification, every table's checked
    rows) as temporary tables of this session, in dependency order: they vanish with the
    connection and write nothing to either database. Returns their names in order."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    nodes = {uid: n for uid, n in manifest["nodes"].items()
             if n["resource_type"] == "model" and n["config"].get("materialized") == "work_table"
             and n["original_file_path"].startswith("models/intermediate/") and n["name"] not in SKIPPED_IN_PLAN}
    ordered, done = [], set()

    def visit(uid: str) -> None:  # through ephemeral models too: they read work tables
        if uid in done or uid not in manifest["nodes"]:
            return
        done.add(uid)
        for parent in manifest["nodes"][uid]["depends_on"]["nodes"]:
            visit(parent)
        if uid in nodes:
            ordered.append(uid)
    for uid in sorted(nodes):
        visit(uid)
    fixes = self_reference_fixes(target_dir)
    cur = conn.cursor()
    for i, uid in enumerate(ordered, 1):
        node = nodes[uid]
        folder = str(Path(node["original_file_path"]).parent)
        if progress:
            progress(i, len(ordered), node["name"])
        cur.execute(session_table_ddl(node, database, compiled(target_dir, folder, node["name"])))
        for statement in fixes.get(node["name"], []):
            cur.execute(statement)
    return [nodes[uid]["name"] for uid in ordered]


def self_reference_fixes(target_dir: Path) -> dict[str, list[str]]:
    """The statements a real run's post-hook runs on a table pointing into itself (rendered by
    analyses/plan_self_references.sql), by checked model."""
    fixes: dict[str, list[str]] = {}
    current = None
    for line in compiled(target_dir, "analyses", "plan_self_references").split(";\n"):
        for part in line.strip().splitlines():
            if part.startswith("-- "):
                current = f"int_{part[3:].strip()}_checked"
        statement = "\n".join(p for p in line.strip().splitlines() if not p.startswith("--")).strip()
        if statement and current:
            fixes.setdefault(current, []).append(statement.rstrip(";"))
    return fixes


def checked_rows(target_dir: Path, table: str, session_database: str | None) -> str:
    """What to read a table's checked rows from: its session table, or its compiled query."""
    if session_database:
        return f"{quoted(session_database)}.{quoted(f'int_{table}_checked')}"
    return "(" + compiled(target_dir, "models/intermediate/checked", f"int_{table}_checked") + ")"


def table_plan(conn, target_dir: Path, table: str, v1_schema: str, session_database: str | None = None) -> dict:
    """One pass over the table's checked rows: counts by verdict, reasons, roots and the
    values v2 cannot store (grouped by their JSON list; split here)."""
    source = checked_rows(target_dir, table, session_database)
    cur = conn.cursor()
    started = time.monotonic()
    cur.execute(
        "select _reject_reason is not null as rejected, coalesce(_reject_reason, _change_reason) as reason, "
        "_root_table, _root_key, coalesce(_root_reason, _reject_reason, _change_reason), _unstorable, count(*) "
        f"from {source} as candidate group by 1, 2, 3, 4, 5, 6")
    to_load = rejected = changed = 0
    reasons: dict[str, int] = {}
    roots: list[dict] = []
    unstorable: dict[tuple, int] = {}
    for is_rejected, reason, root_table, root_key, root_reason, found, count in cur.fetchall():
        if is_rejected:
            rejected += count
        else:
            to_load += count
            if reason is not None:
                changed += count
        if reason is not None:
            key = ("rejected: " if is_rejected else "changed: ") + reason_kind(reason)
            reasons[key] = reasons.get(key, 0) + count
            roots.append({"table": table, "action": "rejected" if is_rejected else "changed", "rows": count,
                          "root_table": root_table or table, "root_key": root_key, "root_reason": root_reason})
        for item in json.loads(found) if found else []:
            k = (item["column"], item["problem"], item["value"], item["policy"])
            unstorable[k] = unstorable.get(k, 0) + count
    cur.execute(f"select count(*) from `{v1_schema}`.`{table}`")
    v1_rows = cur.fetchone()[0]
    log.debug("plan %s: %.2fs", table, time.monotonic() - started)
    return {
        "v1_rows": v1_rows,
        "rows_to_load": to_load,
        "rows_rejected": rejected,
        "rows_loaded_with_changes": changed,
        "exceptions_by_reason": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        "_roots": roots,
        "_unstorable": [{"table": table, "column": c, "problem": p, "value": v, "policy": pol, "rows": n}
                        for (c, p, v, pol), n in sorted(unstorable.items())],
    }


def cascades(rows: list[dict]) -> list[dict]:
    """Per root exception, the rows it takes with it, by table: a cascade's own root row is
    counted where it stands ("1 unclassifiable user -> 1 doctor, 40 appointments ...").
    `rows`: {table, action, rows, root_table, root_key, root_reason} for rows whose root is
    known by key (a real run: one per exception, with its row_key; a dry run: one per group
    of cascaded rows, own roots left out)."""
    by_root: dict[tuple, dict] = {}
    for r in rows:
        if r["root_key"] is None:
            continue
        key = (r["root_table"], r["root_key"])
        entry = by_root.setdefault(key, {"root_table": r["root_table"], "root_key": r["root_key"],
                                         "root_reason": r["root_reason"], "takes": {}})
        if not (r["table"] == r["root_table"] and r.get("row_key") == r["root_key"]):
            name = f"{r['table']} ({r['action']})"
            entry["takes"][name] = entry["takes"].get(name, 0) + r["rows"]
    found = [dict(e, rows_taken=sum(e["takes"].values())) for e in by_root.values() if e["takes"]]
    return sorted(found, key=lambda e: (-e["rows_taken"], e["root_table"], e["root_key"]))


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


def classified_users(target_dir: Path, session_database: str | None) -> str:
    if session_database:
        return f"{quoted(session_database)}.int_users_classified"
    return "(" + compiled(target_dir, "models/intermediate", "int_users_classified") + ")"


def classified_by_evidence(conn, target_dir: Path, session_database: str | None = None) -> list[dict]:
    """Users whose classification did not come from users.type: how many, by what evidence."""
    cur = conn.cursor()
    cur.execute(f"select classification, classified_by, count(*) from {classified_users(target_dir, session_database)} "
                "as users where classified_by like '%evidence:%' group by 1, 2 order by 3 desc, 1, 2")
    return [{"classification": c, "classified_by": by, "users": int(n)} for c, by, n in cur.fetchall()]


def moved_and_added(conn, target_dir: Path, session_database: str | None = None) -> tuple[int, int]:
    """Patient users that leave users (moved) and patients made from a user alone (added)."""
    cur = conn.cursor()
    cur.execute(f"select coalesce(sum(classification = 'patient'), 0) from "
                f"{classified_users(target_dir, session_database)} as users")
    moved = int(cur.fetchone()[0])
    cur.execute(f"select count(*) from {checked_rows(target_dir, 'patients', session_database)} "
                "as patients where _v1_patient_id is null")
    return moved, int(cur.fetchone()[0])


def build_plan(conn, target_dir: Path, tables: dict[str, str], v1_schema: str, progress=None,
               session_database: str | None = None) -> dict:
    """`tables`: every v2 table -> its disposition (migrated, transient, v2_owned).
    `session_database`: where session_tables() made the work tables (None: the compiled
    queries are read as they are, every table with its ancestors inlined)."""
    per_table = {}
    roots, unstorable = [], []
    migrated = [t for t, d in sorted(tables.items()) if d == "migrated"]
    moved, added = moved_and_added(conn, target_dir, session_database)
    for i, table in enumerate(migrated, 1):
        if progress:
            progress(i, len(migrated), table)
        found = table_plan(conn, target_dir, table, v1_schema, session_database)
        roots += found.pop("_roots")
        unstorable += found.pop("_unstorable")
        per_table[table] = {"disposition": "migrated", **found,
                            "rows_moved": moved if table == "users" else 0,
                            "rows_added": added if table == "patients" else 0, "rows_not_carried": 0}
    cur = conn.cursor()
    for table, disposition in sorted(tables.items()):
        if disposition != "migrated":
            cur.execute(f"select count(*) from `{v1_schema}`.`{table}`")
            v1_rows = cur.fetchone()[0]
            per_table[table] = {"disposition": disposition, "v1_rows": v1_rows, "rows_to_load": 0,
                                "rows_rejected": 0, "rows_loaded_with_changes": 0, "rows_moved": 0,
                                "rows_added": 0, "rows_not_carried": v1_rows,
                                "note": "not carried: v2 keeps what it has"}
    for t in per_table.values():
        t["reconciles"] = (t["v1_rows"] + t["rows_added"]
                           == t["rows_to_load"] + t["rows_rejected"] + t["rows_moved"] + t["rows_not_carried"])
    totals = {k: sum(t[k] for t in per_table.values())
              for k in ("v1_rows", "rows_added", "rows_to_load", "rows_rejected", "rows_moved", "rows_not_carried",
                        "rows_loaded_with_changes")}
    totals["reconciles"] = all(t["reconciles"] for t in per_table.values())
    return {
        "tables": per_table,
        "totals": totals,
        "reconciliation": "v1_rows + rows_added = rows_to_load + rows_rejected + rows_moved + rows_not_carried",
        "root_causes": cascades(roots),
        "unstorable_values": unstorable,
        "classified_by_evidence": classified_by_evidence(conn, target_dir, session_database),
        "value_changes": value_changes(conn, target_dir),
        "columns_without_v2_home": columns_without_v2_home(conn, target_dir),
    }
