"""The benchmark (make bench) at a tiny scale: it runs the three ways of moving the data, and an
incremental run after 1% of v1 changed, and writes every figure; at the smaller scale the same
v1 into PostgreSQL too (the real command, the PostgreSQL limit, pgloader when it is installed:
`make test` does not install it). The PostgreSQL part runs at one scale only: the real command
into PostgreSQL takes a minute or two even at 200 patients (compiling the project, dbt's start).
The figures themselves are measured by `make bench`, not asserted here."""
import json
import subprocess
import sys

import pytest

from tests.conftest import RUN_ID

pytestmark = pytest.mark.slow
PATIENTS = (200, 400)
SLICE = 100


def test_bench_measures_limit_migrate_and_row_by_row_at_each_scale(server, tmp_path):
    output = tmp_path / "results.json"
    # the shared server's settings are left alone: --buffer-pool-mb 0 --redo-log-mb 0
    done = subprocess.run([sys.executable, "-m", "moh_dev.bench", "--scales", ",".join(map(str, PATIENTS)),
                           "--slice", str(SLICE), "--buffer-pool-mb", "0", "--redo-log-mb", "0",
                           "--postgres-scales", str(PATIENTS[0]),
                           "--output", str(output), "--prefix", f"t{RUN_ID}_bench"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(output.read_text())
    assert [s["patients"] for s in results["scales"]] == list(PATIENTS)
    for scale in results["scales"]:
        v1 = scale["generation"]["tables"]
        # the limit moves every v1 patients row, each through the crosswalk
        assert scale["limit"]["tables"]["patients"]["rows"] == v1["patients"]
        for table in ("appointments", "visits", "verification_codes", "oauth_access_tokens"):
            assert scale["limit"]["tables"][table]["rows"] == v1[table], table
        assert scale["limit_unique_checks_on"]["rows"] == scale["limit"]["rows"]
        migrate = scale["migrate"]
        assert migrate["status"] == "passed" and set(migrate["tests"]) == {"pass"}
        assert migrate["rows"] > scale["limit"]["rows"] * 0.9
        assert set(migrate["phases"]) >= {"pre_flight", "crosswalks", "load", "validation", "reports"}
        assert abs(sum(migrate["phases"].values()) - migrate["seconds"]) < 1.0
        # the slice: its patients rows and the 40 staff users the generator puts first
        assert scale["row_by_row"]["rows"] == SLICE + 40
        assert all(value > 0 for value in scale["ratios"].values())
        # 1% of v1 changed, then --incremental writes about that much, not the whole v2
        incremental = scale["incremental"]
        assert incremental["status"] == "passed" and sum(incremental["v1_changes"].values()) > 0
        assert 0 < sum(incremental["applied"].values()) < migrate["rows"] / 10
    assert len(results["growth"]["migrate_total"]["exponents"]) == 1
    assert f"| {PATIENTS[1]:,} |" in done.stdout
    # the largest scale's targets and where the whole run went, from the figures written
    summary = done.stdout.split(f"at {PATIENTS[1]:,} patients, against the limit")[1]
    large = results["scales"][-1]
    migrate = large["migrate"]
    ratio = migrate["seconds"] / large["limit"]["seconds"]
    assert f"whole run: {migrate['seconds']:.1f} s, {ratio:.2f}x the limit (target 2.0x: " in summary
    first, shown, _ = summary.split("its largest models: ")[1].split(",")[0].split(" ")
    slowest = max(model["seconds"] for model in migrate["models"].values())
    assert migrate["models"][first]["seconds"] == slowest and shown == f"{slowest:.1f}"
    assert results["server"]["innodb_buffer_pool_mb"] == results["server_settings_before"]["innodb_buffer_pool_mb"]
    postgres_measured(results, done.stdout)


def postgres_measured(results, stdout):
    """The PostgreSQL part, at the smaller scale: the real command, its landing copy, the limit
    moving the same rows as on MariaDB (the same column logic), pgloader when it is installed."""
    if "left_out" in results["postgres_server"]:
        pytest.skip(f"PostgreSQL left out: {results['postgres_server']['left_out']} (`make test` starts one)")
    small, large = results["scales"]
    assert "postgres" not in large
    pg, v1 = small["postgres"], small["generation"]["tables"]
    migrate = pg["migrate"]
    assert migrate["status"] == "passed" and set(migrate["tests"]) == {"pass"}
    assert migrate["rows"] == small["migrate"]["rows"]  # the same rows as into MariaDB
    assert set(migrate["phases"]) >= {"pre_flight", "copy", "crosswalks", "load", "validation", "reports"}
    assert abs(sum(migrate["phases"].values()) - migrate["seconds"]) < 1.0
    assert migrate["copy"]["rows"] == small["v1_rows"] and migrate["copy"]["rows_per_second"] > 0
    limit = pg["limit"]["tables"]
    assert limit["patients"]["rows"] == v1["patients"]
    assert {t: e["rows"] for t, e in limit.items()} == {t: e["rows"] for t, e in small["limit"]["tables"].items()}
    loader = pg["pgloader"]
    if results["postgres_server"]["pgloader"]:
        assert loader["rows"] == loader["rows_reported"] == small["v1_rows"] and loader["rows_per_second"] > 0
    else:
        assert loader is None and pg["ratios"]["copy / pgloader (rows per second)"] is None
    assert all(value > 0 for value in pg["ratios"].values() if value is not None)
    assert f"| {PATIENTS[0]:,} | " in stdout.split("| patients | pgloader |")[1]
