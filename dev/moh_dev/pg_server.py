"""Make sure a PostgreSQL server answers for the PostgreSQL tests and demo.

`python -m moh_dev.pg_server` connects with MOH_PG_HOST/PORT/USER/PASSWORD (default postgres
with an empty password on 127.0.0.1:5432). When nothing answers: as root on a Debian-like
machine it says so in one line, installs postgresql-15 with apt-get when it is missing, starts
its cluster and lets local TCP logins in without a password (`trust` for 127.0.0.1: a local test
server only); otherwise it says what to run and exits 1. The tests skip, naming why, only when
this could not give them a server.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import time

from driver.pg import PgServer


def server_from_env() -> PgServer:
    return PgServer(host=os.environ.get("MOH_PG_HOST", "127.0.0.1"),
                    port=int(os.environ.get("MOH_PG_PORT", "5432")),
                    user=os.environ.get("MOH_PG_USER", "postgres"),
                    password=os.environ.get("MOH_PG_PASSWORD", ""),
                    database="postgres")


def problem(server: PgServer) -> str | None:
    """None when the server answers and the account may create databases; else why not."""
    import psycopg2
    try:
        conn = server.connect()
    except psycopg2.Error as e:
        return (str(e).strip().splitlines() or ["cannot connect"])[0]
    try:
        with conn.cursor() as cur:
            cur.execute("select rolsuper or rolcreatedb from pg_roles where rolname = current_user")
            if not cur.fetchone()[0]:
                return f"{server.user} may not create databases"
    finally:
        conn.close()
    return None


def install_and_start(server: PgServer) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not glob.glob("/usr/lib/postgresql/*/bin/postgres"):
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql-15"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    for hba in glob.glob("/etc/postgresql/*/main/pg_hba.conf"):
        text = open(hba).read()
        line = "host all all 127.0.0.1/32 trust"
        if line not in text:  # first match wins: a local test server lets local TCP logins in
            open(hba, "w").write(f"# moh-migrate tests: local TCP logins without a password\n{line}\n{text}")
    if shutil.which("pg_ctlcluster"):
        for conf in glob.glob("/etc/postgresql/*/main"):
            version = conf.split("/")[3]
            subprocess.run(["pg_ctlcluster", version, "main", "start"], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            subprocess.run(["pg_ctlcluster", version, "main", "reload"], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    for _ in range(30):
        if problem(server) is None:
            return
        time.sleep(1)


def ensure() -> int:
    server = server_from_env()
    why = problem(server)
    if why is None:
        return 0
    where = f"{server.host}:{server.port}"
    if os.geteuid() == 0 and shutil.which("apt-get") and server.host in ("127.0.0.1", "localhost"):
        print(f"PostgreSQL on {where} cannot be used ({why}): installing and starting postgresql-15 "
              "(apt-get, pg_ctlcluster).", file=sys.stderr, flush=True)
        install_and_start(server)
        why = problem(server)
        if why is None:
            return 0
    print(f"PostgreSQL on {where} cannot be used as {server.user} ({why}); the PostgreSQL tests will skip. "
          "Install and start postgresql-15, or point MOH_PG_HOST/PORT/USER/PASSWORD at a server where "
          "that account may create databases.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(ensure())
