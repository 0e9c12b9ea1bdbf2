"""TLS: a MariaDB server of the test's own that accepts only TLS (certificates made by
openssl) works with ?ssl_ca= in the URLs, and without it the refusal is named in one line."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import TEST_SECRET, make_env
from tests.runs import last_line, run_cli
from tests.servers import TempServer

pytestmark = pytest.mark.slow
PATIENTS = 300


def make_certificates(directory: Path) -> Path:
    """A CA and a server certificate it signed, made by openssl; returns the CA's file."""
    directory.mkdir(parents=True, exist_ok=True)

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=moh-migrate test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server-key.pem", "-out", "server-req.pem",
            "-subj", "/CN=127.0.0.1")
    openssl("x509", "-req", "-in", "server-req.pem", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
            "-out", "server-cert.pem", "-days", "2")
    return directory / "ca.pem"


def test_a_tls_only_server_works_with_ssl_ca_and_fails_clearly_without(tmp_path_factory, tmp_path):
    directory = tmp_path_factory.mktemp("mariadb-tls")
    ca = make_certificates(directory / "certs")
    tls = TempServer(directory, ssl_ca=str(ca))
    tls.install()
    tls.start(f"--ssl-ca={ca}", f"--ssl-cert={directory / 'certs/server-cert.pem'}",
              f"--ssl-key={directory / 'certs/server-key.pem'}", "--require-secure-transport=ON")
    try:
        env = make_env(tls.server, tmp_path, "tls", patients=PATIENTS)

        def config(with_ca: bool) -> Path:
            query = f"?ssl_ca={ca}" if with_ca else ""
            data = {"old_db_url": f"mysql://root@127.0.0.1:{tls.port}/{env.v1}{query}",
                    "new_db_url": f"mysql://root@127.0.0.1:{tls.port}/{env.v2}{query}",
                    "patient_uuid_secret": TEST_SECRET, "retry_attempts": 1}
            path = tmp_path / ("with-ca" if with_ca else "without") / "config.yaml"
            path.parent.mkdir(exist_ok=True)
            path.write_text(yaml.safe_dump(data))
            return path

        refused = run_cli(config(False), "--output-dir", str(tmp_path / "out-plain"))
        assert refused.returncode == 3
        assert last_line(refused) == (f"error: old: 127.0.0.1:{tls.port} accepts only TLS connections: "
                                      "add ?ssl_ca=/path/to/ca.pem to old_db_url")

        done = run_cli(config(True), "--output-dir", str(tmp_path / "out-tls"))
        assert done.returncode == 0, done.stderr
        assert env.scalar(f"select count(*) from `{env.v2}`.patients") >= PATIENTS
    finally:
        tls.stop()
