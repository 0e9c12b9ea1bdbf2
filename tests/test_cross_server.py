"""v1 on one server, v2 on another (the seed's mysql-old / mysql-new): the driver copies v1 into
a landing schema on the v2 server and migrates there. The result must equal a same-server run
of the same data (the session's migrated_by_cli: 300 patients, seed 1)."""
import json

import pytest

from driver.db import drop_database
from moh_dev.synthetic import generate
from tests.conftest import make_env
from tests.runs import config_for, run_cli
from tests.servers import started_server

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("migrated_by_cli")]
PATIENTS = 300


@pytest.fixture(scope="module")
def old_server(tmp_path_factory):
    yield from started_server(tmp_path_factory.mktemp("mariadb-old"))


def test_two_servers_give_the_same_v2_as_one(server, old_server, migrated_by_cli, tmp_path):
    same, one, done = migrated_by_cli
    assert done.returncode == 0, done.stderr
    assert same.scalar(f"select count(*) from `{same.v1}`.patients") >= PATIENTS
    cross = make_env(server, tmp_path / "cross", "xs_cross", patients=None)
    generate(old_server.server, "old_moh", PATIENTS, seed=1)
    try:
        two = run_cli(config_for(cross, tmp_path / "two", old_db="old_moh", server=old_server.server),
                      "--output-dir", str(tmp_path / "two/out"))
        assert two.returncode == 0, two.stderr
        assert "(another server)" in two.stderr and "copy v1 to" in two.stderr

        a, b = same.table_checksums(same.v2), cross.table_checksums(cross.v2)
        assert len(a) == 63 and a == b
        for name in ("old_user_id__to__new_user_id.csv", "old_user_id__to__new_patient_id.csv", "exceptions.csv"):
            assert (one / "reports" / name).read_bytes() == (tmp_path / "two/out/reports" / name).read_bytes()
        tables_one = json.loads((one / "validation_report.json").read_text())["tables"]
        tables_two = json.loads((tmp_path / "two/out/validation_report.json").read_text())["tables"]
        assert tables_one == tables_two
        report = json.loads((tmp_path / "two/out/validation_report.json").read_text())
        assert report["status"] == "passed" and report["same_server"] is False
    finally:
        cross.drop()
        drop_database(old_server.server, "old_moh")
