"""TLS to a PostgreSQL v2: a PostgreSQL cluster of the test's own that accepts only TLS
(certificates made by openssl) works with ?sslmode=verify-full&sslrootcert= in new_db_url (the
driver's connections and dbt's), and a plain connection or a wrong CA is named in one line."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from driver.pg import PgServer, create_v2_schema
from tests.conftest import RUN_ID, TEST_SECRET, make_env
from tests.runs import last_line, run_cli
from tests.test_tls import make_certificates

pytestmark = pytest.mark.slow
PATIENTS = 100


def pg_binary(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else None


@pytest.fixture
def tls_cluster(pg_server):
    """A throwaway cluster on a free port: hostssl only, its certificate signed by a test CA."""
    if os.geteuid() != 0 or not pg_binary("initdb"):
        pytest.skip("a throwaway PostgreSQL cluster needs root (to run it as postgres) and initdb")
    from moh_dev.tempserver import free_port
    directory = Path(tempfile.mkdtemp(prefix="moh-pg-tls-"))
    os.chmod(directory, 0o755)
    certs = directory / "certs"
    ca = make_certificates(certs)
    data = directory / "data"
    for path in [directory, *directory.rglob("*")]:
        shutil.chown(path, "postgres", "postgres")
    os.chmod(certs / "server-key.pem", 0o600)

    def as_postgres(*command, **kwargs):
        return subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, **kwargs)
    as_postgres(pg_binary("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    (data / "pg_hba.conf").write_text("local all all trust\nhostssl all all 127.0.0.1/32 trust\n")
    port = free_port()
    process = subprocess.Popen(
        ["runuser", "-u", "postgres", "--", pg_binary("postgres"), "-D", str(data), "-p", str(port),
         "-k", str(directory), "-c", "listen_addresses=127.0.0.1", "-c", "ssl=on",
         "-c", f"ssl_cert_file={certs / 'server-cert.pem'}", "-c", f"ssl_key_file={certs / 'server-key.pem'}",
         "-c", "fsync=off", "-c", "shared_buffers=32MB"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = PgServer(host="127.0.0.1", port=port, user="postgres", sslmode="verify-full", sslrootcert=str(ca))
    try:
        for _ in range(100):
            try:
                server.connect("postgres").close()
                break
            except Exception:  # noqa: BLE001 - starting
                time.sleep(0.1)
        yield server, ca, directory
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)


def test_a_tls_only_postgresql_works_with_sslrootcert_and_fails_clearly_without(server, tls_cluster, tmp_path):
    pg, ca, directory = tls_cluster
    env = make_env(server, tmp_path, "pgtls", patients=PATIENTS)
    database = f"t{RUN_ID}_pgtls"
    try:
        create_v2_schema(pg, database)

        def config(name: str, query: str) -> Path:
            path = tmp_path / name / "config.yaml"
            path.parent.mkdir()
            path.write_text(yaml.safe_dump({
                "old_db_url": f"mysql://root@{server.host}:{server.port}/{env.v1}",
                "new_db_url": f"postgresql://postgres@127.0.0.1:{pg.port}/{database}{query}",
                "patient_uuid_secret": TEST_SECRET, "retry_attempts": 1}))
            return path

        plain = run_cli(config("plain", "?sslmode=disable"), "--dry-run", "--output-dir", str(tmp_path / "o1"))
        assert plain.returncode == 3
        assert last_line(plain) == (f"error: new: 127.0.0.1:{pg.port} accepts only TLS connections: add "
                                    "?sslmode=verify-full&sslrootcert=/path/to/ca.pem to new_db_url")

        other_ca = make_certificates(tmp_path / "other-ca")
        wrong = run_cli(config("wrong", f"?sslrootcert={other_ca}"), "--dry-run", "--output-dir", str(tmp_path / "o2"))
        assert wrong.returncode == 3
        assert last_line(wrong).startswith(f"error: new: TLS connection to 127.0.0.1:{pg.port} failed (")

        good = run_cli(config("good", f"?sslmode=verify-full&sslrootcert={ca}"), "--dry-run",
                       "--output-dir", str(tmp_path / "o3"))
        assert good.returncode == 0, good.stderr[-2000:]
        # dbt connected over TLS too: the server saw only TLS sessions (hostssl is all it allows)
        conn = replace(pg, database=database).connect()
        with conn.cursor() as cur:
            cur.execute("select ssl from pg_stat_ssl where pid = pg_backend_pid()")
            assert cur.fetchone()[0] is True
        conn.close()
    finally:
        env.drop()
