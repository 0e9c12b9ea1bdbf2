"""The files a real run leaves: crosswalk CSVs, exceptions.csv and validation_report.json.
Rows stream from the database in batches straight into the files; they carry ids and codes
only, never names, phones or e-mails. The validation report is a pure function of what the
run produced and what was read back (validation_report); writing it is separate."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from driver.dbt_runner import DbtResult
from driver.pg import is_postgres
from driver.plan import cascades, reason_kind

STAFF_CROSSWALK = "old_user_id__to__new_user_id.csv"
PATIENT_CROSSWALK = "old_user_id__to__new_patient_id.csv"


def stream_csv(conn, sql: str, header: list[str], path: Path, batch_size: int) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    cur = conn.cursor(buffered=False)
    cur.execute(sql)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        while True:
            batch = cur.fetchmany(batch_size)
            if not batch:
                break
            writer.writerows(["" if v is None else v for v in row] for row in batch)
            rows += len(batch)
    cur.close()
    return rows


def write_crosswalks(conn, work: str, reports: Path, batch_size: int) -> dict[str, int]:
    return {
        STAFF_CROSSWALK: stream_csv(
            conn, f"select old_user_id, new_user_id from `{work}`.int_staff_users_kept order by old_user_id",
            ["old_user_id", "new_user_id"], reports / STAFF_CROSSWALK, batch_size),
        PATIENT_CROSSWALK: stream_csv(
            conn, f"select v1_user_id, v1_patient_id, patient_uuid from `{work}`.int_patients_minted "
                  "order by v1_user_id, v1_patient_id",
            ["old_user_id", "old_patient_id", "new_patient_id"], reports / PATIENT_CROSSWALK, batch_size),
    }


def write_exceptions(conn, work: str, reports: Path, batch_size: int) -> int:
    """reports/exceptions.csv (table,key,reason); the reason starts with what happened to the
    row: "rejected" (not in v2) or "changed" (in v2, a value changed)."""
    return stream_csv(
        conn, f"select table_name, row_key, concat(action, ': ', reason) from `{work}`.migration_exceptions "
              "order by table_name, row_key",
        ["table", "key", "reason"], reports / "exceptions.csv", batch_size)


def reconciliation(conn, work: str) -> list[dict]:
    cur = conn.cursor(dictionary=True)
    cur.execute(f"select * from `{work}`.migration_reconciliation order by table_name")
    return [{k: (bool(v) if k == "reconciles" else v) for k, v in row.items()} for row in cur.fetchall()]


def exceptions_by_reason(conn, work: str) -> dict[str, int]:
    cur = conn.cursor()
    cur.execute(f"select table_name, action, reason, count(*) from `{work}`.migration_exceptions "
                "group by table_name, action, reason")
    grouped: dict[str, int] = {}
    for table, action, reason, count in cur.fetchall():
        key = f"{table}: {action}: {reason_kind(reason)}"
        grouped[key] = grouped.get(key, 0) + count
    return dict(sorted(grouped.items(), key=lambda kv: (-kv[1], kv[0])))


def root_causes(conn, work: str) -> list[dict]:
    """Per root exception, the rows of other tables it takes with it (see plan.cascades)."""
    cur = conn.cursor(dictionary=True)
    cur.execute(f"select table_name as `table`, action, root_table, root_key, root_reason, count(*) as `rows` "
                f"from `{work}`.migration_exceptions where not (root_table = table_name and root_key = row_key) "
                "group by 1, 2, 3, 4, 5")
    return cascades(cur.fetchall())


def applied_changes(conn, work: str) -> dict[str, dict[str, int]]:
    """An incremental run's changes per v2 table (the v2_table materialization records them)."""
    cur = conn.cursor(dictionary=True)
    cur.execute(f"select table_name, inserted_rows, updated_rows, deleted_rows from `{work}`.v2_applied_changes "
                "order by table_name")
    return {r["table_name"]: {"inserted": int(r["inserted_rows"]), "updated": int(r["updated_rows"]),
                              "deleted": int(r["deleted_rows"])} for r in cur.fetchall()}


def reconciliation_totals(tables: list[dict]) -> dict:
    """The totals line: v1 + added = loaded + rejected + moved + not carried, over every table."""
    keys = ("v1_rows", "added_rows", "loaded_rows", "rejected_rows", "moved_rows", "not_carried_rows", "changed_rows")
    totals = {k: sum(int(t.get(k) or 0) for t in tables) for k in keys}
    totals["reconciles"] = all(t.get("reconciles") for t in tables) and bool(tables)
    return totals


def table_checksums(conn, schema: str, tables: list[str]) -> dict[str, int | None]:
    cur = conn.cursor(buffered=True)
    result = {}
    if is_postgres(conn):
        # PostgreSQL has no CHECKSUM TABLE: an order-independent sum of each row's md5 (60 bits)
        for table in tables:
            cur.execute(f"select (coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0) "
                        f"% 9223372036854775807)::bigint from `{schema}`.`{table}` t")
            result[table] = int(cur.fetchone()[0])
        return result
    for table in tables:
        cur.execute(f"checksum table `{schema}`.`{table}`")
        result[table] = cur.fetchone()[1]
    return result


def dbt_results(results: list[dict]) -> list[dict]:
    """Every dbt node of the run with its outcome; test failures count failing rows, never show them."""
    return [{
        "node": r["unique_id"],
        "status": r["status"],
        "failing_rows": r.get("failures"),
        "seconds": round(r.get("execution_time") or 0, 3),
        "rows_affected": (r.get("adapter_response") or {}).get("rows_affected"),
    } for r in results]


def validation_report(*, finished_at: str, where: dict, build: DbtResult, custom: list[dict], tables: list[dict],
                      checksums: dict[str, int | None], exceptions: dict[str, int], root_causes: list[dict],
                      v2_database: str,
                      phases: dict[str, float], build_seconds: float, run: dict, peak_rss_mb: float,
                      peak_rss_mb_after_copy: float | None, applied: dict | None = None) -> dict:
    """validation_report.json. `where`: v1, v2, same_server, sample_patients; `tables`: the
    reconciliation rows (empty when the audit models were not built); `exceptions`: counts by
    reason; `phases`: seconds per phase; `build_seconds`: dbt's phase; `run`: the run record's
    view (run id, resumed, backup); `applied`: an incremental run's changes per table."""
    loaded = build.rows_loaded(v2_database)
    return {
        "finished_at": finished_at,
        "status": "passed" if build.ok and all(q["passed"] for q in custom) else "failed",
        **where,
        "tables": [{**t, "v2_checksum": checksums[t["table_name"]]} for t in tables],
        "totals": reconciliation_totals(tables),
        "reconciliation": "v1_rows + added_rows = loaded_rows + rejected_rows + moved_rows + not_carried_rows",
        "root_causes": root_causes,
        "v2_checksums": checksums,
        "tests": {"summary": build.by_status("test"), "results": dbt_results(build.results)},
        "exceptions_by_reason": exceptions,
        "custom_validation": custom,
        "rows_loaded": loaded,
        "rows_per_second": round(loaded / build_seconds) if build_seconds else None,
        "timings_seconds": {"phases": phases, "models": build.model_seconds()},
        "run": run,
        **({"kind": "incremental", "applied_changes": applied} if applied is not None else {"kind": "full"}),
        "driver_peak_rss_mb": peak_rss_mb,
        "driver_peak_rss_mb_after_copy": peak_rss_mb_after_copy,
    }


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
