"""Make sure a MySQL/MariaDB server answers for the demo and the tests.

`python -m moh_dev.server` connects with MOH_DB_HOST/PORT/USER/PASSWORD (default root with an
empty password on 127.0.0.1:3306). When nothing answers: as root on a Debian-like machine it
says so in one line, installs mariadb-server with apt-get when it is missing, starts it and
lets root in over TCP with an empty password (a local test server only); otherwise it says
what to run and exits 1.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import mysql.connector

from driver.db import Server

SOCKET = "/run/mysqld/mysqld.sock"


def server_from_env() -> Server:
    return Server(host=os.environ.get("MOH_DB_HOST", "127.0.0.1"),
                  port=int(os.environ.get("MOH_DB_PORT", "3306")),
                  user=os.environ.get("MOH_DB_USER", "root"),
                  password=os.environ.get("MOH_DB_PASSWORD", ""))


def answers(server: Server) -> bool:
    try:
        server.connect().close()
        return True
    except mysql.connector.Error:
        return False


def _run(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def install_and_start(server: Server) -> None:
    if not shutil.which("mariadbd"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", "mariadb-server"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    os.makedirs("/run/mysqld", exist_ok=True)
    shutil.chown("/run/mysqld", "mysql", "mysql")
    _run("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", shutil.which("mariadbd"),
         "--", "--user=mysql")
    local_root = Server(user="root", unix_socket=SOCKET)
    for _ in range(60):
        if answers(local_root):
            break
        time.sleep(1)
    else:
        raise SystemExit("mariadb-server was started but does not answer on " + SOCKET)
    if not answers(server):
        # a fresh Debian root logs in by unix socket only; tests and dbt connect over TCP
        conn = local_root.connect()
        conn.cursor().execute("alter user root@localhost identified via unix_socket "
                              "or mysql_native_password using password('')")
        conn.close()


def ensure() -> int:
    server = server_from_env()
    if answers(server):
        return 0
    where = f"{server.host}:{server.port}"
    if os.geteuid() == 0 and shutil.which("apt-get") and server.host in ("127.0.0.1", "localhost"):
        print(f"No MySQL/MariaDB server answers on {where}: installing and starting mariadb-server "
              "(apt-get, start-stop-daemon).", file=sys.stderr, flush=True)
        install_and_start(server)
        if answers(server):
            return 0
        print(f"mariadb-server runs but {server.user}@{where} cannot log in; set MOH_DB_USER/MOH_DB_PASSWORD.",
              file=sys.stderr)
        return 1
    print(f"No MySQL/MariaDB server answers on {where}. Start one (as root: apt-get install mariadb-server "
          "&& start-stop-daemon --start --background --exec /usr/sbin/mariadbd), or point "
          "MOH_DB_HOST/PORT/USER/PASSWORD at one.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(ensure())
