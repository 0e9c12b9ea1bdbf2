"""dbt's own files are scrubbed of the values MySQL quotes in its messages, each file once: the
logs a dbt call wrote (rotated ones too) and run_results.json, not the earlier calls' again."""
import os

from driver.db import Server
from driver.dbt_runner import DbtTarget, scrub_outputs

QUOTED = "Duplicate entry 'someone@example.org' for key 'users_email_unique'\n"


def test_only_the_files_written_since_the_call_began_are_scrubbed(tmp_path):
    target = DbtTarget(server=Server(), v2_database="v2", v1_database="v1", work_dir=tmp_path)
    (tmp_path / "logs").mkdir()
    (tmp_path / "target").mkdir()
    old, current, rotated = (tmp_path / "logs" / n for n in ("old.log", "dbt.log", "dbt.log.1"))
    results = tmp_path / "target" / "run_results.json"
    for path in (old, current, rotated, results):
        path.write_text(QUOTED)
    os.utime(old, (1_000_000, 1_000_000))
    scrub_outputs(target, since=2_000_000)
    assert old.read_text() == QUOTED  # an earlier call's, scrubbed then
    for path in (current, rotated, results):
        assert "someone@example.org" not in path.read_text() and "entry '…'" in path.read_text()
