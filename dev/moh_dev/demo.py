"""`make demo`: v1 and v2 databases on the local server, synthetic v1 data, `dbt build`, and a
short summary. Uses databases of its own (moh_demo_old, moh_demo_new), replaced on each run."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from driver.db import create_database
from driver.dbt_runner import PROJECT_DIR, DbtTarget, run_dbt
from moh_dev.server import server_from_env
from moh_dev.synthetic import ForeignDatabase, generate

V1, V2 = "moh_demo_old", "moh_demo_new"


def main() -> int:
    patients = int(os.environ.get("DEMO_PATIENTS", "2000"))
    server = server_from_env()
    print(f"1/3  v1 database {V1}: {patients} synthetic patients; v2 database {V2}: empty v2 schema")
    try:
        generated = generate(server, V1, patients, seed=1)
    except ForeignDatabase as e:
        print(f"make demo: refused: {e}", file=sys.stderr)
        return 1
    create_database(server, V2, "v2", replace=True)
    print(f"     {sum(generated.rows.values())} v1 rows in {generated.seconds:.1f}s")

    print("2/3  dbt build")
    target = DbtTarget(server=server, v2_database=V2, v1_database=V1,
                       work_dir=Path(os.environ.get("DEMO_OUTPUT", PROJECT_DIR / "demo-output")),
                       uuid_secret=os.environ.get("MOH_MIGRATE_UUID_SECRET", "demo-secret"))
    started = time.monotonic()
    result = run_dbt(target, "build", echo=True)
    seconds = time.monotonic() - started

    print("3/3  summary")
    summarize(server, target, result, seconds)
    return 0 if result.ok else 1


def summarize(server, target, result, seconds) -> None:
    conn = server.connect()
    cur = conn.cursor()
    work = target.v2_database + "_migrate"
    cur.execute(f"select table_name, disposition, v1_rows, loaded_rows, rejected_rows, changed_rows, moved_rows, "
                f"added_rows, not_carried_rows, reconciles from `{work}`.migration_reconciliation order by table_name")
    rows = cur.fetchall()
    header = ("v1 rows", "+ added", "= loaded", "+ rejected", "+ moved", "+ not carried", "changed")
    print(f"\n  {'v2 table':<36}" + "".join(f"{h:>14}" for h in header) + "  reconciles")
    totals = [0] * 7
    for table, disposition, v1, loaded, rejected, changed, moved, added, not_carried, ok in rows:
        figures = (v1, added, loaded, rejected, moved, not_carried, changed)
        totals = [t + f for t, f in zip(totals, figures)]
        print(f"  {table:<36}" + "".join(f"{f:>14,}" for f in figures) + ("  yes" if ok else "  NO"))
    print(f"  {'total':<36}" + "".join(f"{f:>14,}" for f in totals)
          + ("  yes" if all(r[-1] for r in rows) else "  NO"))
    # reasons carry ids; group them by their wording
    cur.execute(f"select table_name, action, regexp_replace(reason, '=[^ ;:]+', '=…') as kind, count(*) "
                f"from `{work}`.migration_exceptions group by 1, 2, 3 order by 1, 2, 4 desc")
    print("\n  exceptions by reason")
    for table, action, kind, count in cur.fetchall():
        print(f"  {count:>7}  {action:<9}{table}: {kind}")
    conn.close()
    tests = result.by_status("test")
    models = result.by_status("model")
    print(f"\n  dbt build: {seconds:.1f}s; models {models}; tests {tests}")
    print(f"  v2 database: {target.v2_database}; crosswalks and audit: {work}")


if __name__ == "__main__":
    sys.exit(main())
