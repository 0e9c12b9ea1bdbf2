"""Throwaway MariaDB servers: a data directory of their own, a free port, started and stopped
by the caller (so they can be killed, restarted or run on another port freely). The tests use
them for a second server, a server to kill and a TLS-only server; the copy benchmark for the
v1 server of its two-server set-up."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import mysql.connector

from driver.db import Server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempServer:
    def __init__(self, directory: Path, ssl_ca: str | None = None):
        self.directory = directory
        self.ssl_ca = ssl_ca  # set for a server that accepts only TLS
        self.datadir = directory / "data"
        self.socket = directory / "mysqld.sock"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def server(self) -> Server:
        return Server(host="127.0.0.1", port=self.port, user="root", ssl_ca=self.ssl_ca)

    def install(self) -> None:
        installer = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
        if installer is None:
            raise RuntimeError("mariadb-install-db is not installed (Debian package mariadb-server)")
        self.directory.mkdir(parents=True, exist_ok=True)
        user = ["--user=root"] if os.geteuid() == 0 else []
        subprocess.run([installer, "--no-defaults", f"--datadir={self.datadir}", "--skip-test-db",
                        "--auth-root-authentication-method=normal", *user],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self, *extra: str) -> None:
        daemon = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
        user = ["--user=root"] if os.geteuid() == 0 else []
        self.process = subprocess.Popen(
            [daemon, "--no-defaults", f"--datadir={self.datadir}", f"--port={self.port}", f"--socket={self.socket}",
             "--bind-address=127.0.0.1", f"--pid-file={self.directory / 'mysqld.pid'}",
             f"--log-error={self.directory / 'error.log'}",
             # its own temporary files: at start mariadbd deletes every #sql* file in its tmpdir,
             # which in /tmp would be the live temporary tables of the machine's other servers
             f"--tmpdir={self.directory}",
             "--innodb-buffer-pool-size=64M", *user, *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.server.connect().close()
                return
            except mysql.connector.Error:
                if self.process.poll() is not None:
                    raise RuntimeError(f"mariadbd exited: see {self.directory / 'error.log'}")
                time.sleep(0.2)
        raise RuntimeError("mariadbd did not answer within 60s")

    def stop(self, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        self.process.wait(timeout=60)
