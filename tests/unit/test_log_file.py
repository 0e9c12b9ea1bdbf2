"""migration.log keeps every invocation: each appends its section under a header line with the
time and the command line (never a password). No server is needed: these runs stop at connect."""
import re

import yaml
from click.testing import CliRunner

from driver.cli import main


def test_each_invocation_appends_its_section_under_a_header(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"old_db_url": "mysql://mig:Pw-4411@127.0.0.1:1/old_moh",
                                      "new_db_url": "mysql://mig:Pw-4411@127.0.0.1:1/new_moh",
                                      "retry_attempts": 1}))
    out = tmp_path / "out"
    args = ["--config", str(config), "--mapping", "mapping.example.yaml", "--output-dir", str(out)]
    assert CliRunner().invoke(main, [*args, "--dry-run"]).exit_code == 3
    assert CliRunner().invoke(main, [*args, "--limit", "5"]).exit_code == 3

    log = (out / "migration.log").read_text()
    headers = re.findall(r"^==== (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) (.*)$", log, re.M)
    assert [command for _, command in headers] == [
        f"moh-migrate --config {config} --mapping mapping.example.yaml --dry-run --output-dir {out}",
        f"moh-migrate --config {config} --mapping mapping.example.yaml --limit 5 --output-dir {out}",
    ]
    first, second = log.split("\n==== ")[0], log.split("\n==== ")[1]
    assert "no MySQL/MariaDB server answers at 127.0.0.1:1" in first and "no MySQL" in second
    assert "Pw-4411" not in log
