"""`make demo-postgres`: the migration into PostgreSQL with the moh-migrate command. v1 is
generated on the local MySQL/MariaDB server (moh_demo_old), v2 is a PostgreSQL database
(moh_demo_new, replaced on each run) made from driver/schemas/v2_postgres.sql; the command's
terminal summary and report.html (under demo-output-postgres/) say what happened."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from driver.dbt_runner import PROJECT_DIR
from driver.pg import create_v2_schema
from moh_dev.pg_server import server_from_env as pg_from_env
from moh_dev.server import server_from_env
from moh_dev.synthetic import ForeignDatabase, generate

V1, V2 = "moh_demo_old", "moh_demo_new"


def main() -> int:
    patients = int(os.environ.get("DEMO_PATIENTS", "2000"))
    server, pg = server_from_env(), pg_from_env()
    out = Path(os.environ.get("DEMO_OUTPUT", PROJECT_DIR / "demo-output-postgres"))
    print(f"1/2  v1 database {V1} on {server.host}:{server.port}: {patients} synthetic patients; "
          f"v2 database {V2} on PostgreSQL {pg.host}:{pg.port}: empty v2 schema")
    try:
        generate(server, V1, patients, seed=1)
    except ForeignDatabase as e:
        print(f"make demo-postgres: refused: {e}", file=sys.stderr)
        return 1
    create_v2_schema(pg, V2)
    out.mkdir(parents=True, exist_ok=True)
    config = out / "config.yaml"
    config.write_text(yaml.safe_dump({
        "old_db_url": f"mysql://{server.user}@{server.host}:{server.port}/{V1}",
        "new_db_url": f"postgresql://{pg.user}@{pg.host}:{pg.port}/{V2}",
        "patient_uuid_secret": "${MOH_MIGRATE_UUID_SECRET:-demo-secret}"}))
    env = dict(os.environ, OLD_DB_PASSWORD=server.password, NEW_DB_PASSWORD=pg.password)
    print("2/2  moh-migrate --config", config)
    return subprocess.call([sys.executable, "-m", "driver.cli", "--config", str(config), "--mapping",
                            str(PROJECT_DIR / "mapping.example.yaml"), "--output-dir", str(out / "run")],
                           cwd=PROJECT_DIR, env=env)


if __name__ == "__main__":
    sys.exit(main())
