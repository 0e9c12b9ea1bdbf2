"""moh-migrate on a real server: a read-only dry run, a full run, a --limit sample, and every
kind of bad input failing with its own message, its exit code and no password anywhere."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import make_env
from tests.runs import config_for, plan_differences, run_cli
from tests.test_interruptions import personal_values
from tests.test_report_html import OUTCOME, Page, chromium_screenshot

pytestmark = pytest.mark.xdist_group("migrated_by_cli")  # shares that session run with test_cross_server
PASSWORD = "Ro-pass-7731!"
STAFF_HEADER = ["old_user_id", "new_user_id"]
PATIENT_HEADER = ["old_user_id", "old_patient_id", "new_patient_id"]


def files_text(directory: Path) -> str:
    return "\n".join(p.read_text("utf-8", errors="replace") for p in directory.rglob("*") if p.is_file())


def assert_no_secret(result, directory: Path, *secrets: str) -> None:
    text = result.stdout + result.stderr + (files_text(directory) if directory.exists() else "")
    for secret in secrets:
        assert secret not in text


def csv_header(path: Path) -> list[str]:
    with path.open(newline="") as f:
        return next(csv.reader(f))


@pytest.fixture(scope="module")
def env(server, tmp_path_factory):
    env = make_env(server, tmp_path_factory.mktemp("cli"), "cli", patients=300)
    yield env
    env.drop()


@pytest.fixture
def readonly_account(env):
    for host in ("%", "localhost"):
        env.execute(f"create user if not exists 'moh_ro'@'{host}' identified by '{PASSWORD}'",
                    f"grant select on `{env.v1}`.* to 'moh_ro'@'{host}'",
                    f"grant select on `{env.v2}`.* to 'moh_ro'@'{host}'")
    yield "moh_ro"
    for host in ("%", "localhost"):
        env.execute(f"drop user if exists 'moh_ro'@'{host}'")


def test_dry_run_on_a_select_only_account_writes_nothing_to_either_database(env, tmp_path, readonly_account):
    before = (env.table_checksums(env.v1), env.table_checksums(env.v2))
    config = config_for(env, tmp_path, user=readonly_account, password=PASSWORD)
    out = tmp_path / "out"

    result = run_cli(config, "--dry-run", "--output-dir", str(out))

    assert result.returncode == 0, result.stderr
    assert (env.table_checksums(env.v1), env.table_checksums(env.v2)) == before
    assert env.scalar("select count(*) from information_schema.schemata where schema_name = %s", (env.work,)) == 0
    for name in ("schema_diff.md", "post_migration_checks.sql", "reports/migration_plan.json"):
        assert (out / name).stat().st_size > 0, name
    plan = json.loads((out / "reports/migration_plan.json").read_text())
    assert len(plan["tables"]) == 63
    assert plan["tables"]["appointments"]["rows_rejected"] == 2
    assert "## Columns" in (out / "schema_diff.md").read_text()
    assert_no_secret(result, out, PASSWORD)


def test_a_full_run_writes_every_output_with_the_spec_headers(migrated_by_cli):
    env, out, result = migrated_by_cli
    assert result.returncode == 0, result.stderr
    assert csv_header(out / "reports/old_user_id__to__new_user_id.csv") == STAFF_HEADER
    assert csv_header(out / "reports/old_user_id__to__new_patient_id.csv") == PATIENT_HEADER
    assert csv_header(out / "reports/exceptions.csv") == ["table", "key", "reason"]
    for name in ("schema_diff.md", "post_migration_checks.sql", "migration.log", "validation_report.json"):
        assert (out / name).stat().st_size > 0, name
    report = json.loads((out / "validation_report.json").read_text())
    assert report["status"] == "passed" and len(report["tables"]) == 63
    assert all(t["reconciles"] for t in report["tables"])
    assert report["tests"]["summary"] == {"pass": len([r for r in report["tests"]["results"]
                                                       if r["node"].startswith("test.")])}
    patients = sum(1 for _ in (out / "reports/old_user_id__to__new_patient_id.csv").open()) - 1
    assert patients == env.scalar(f"select count(*) from `{env.v2}`.patients")
    exceptions = sum(1 for _ in (out / "reports/exceptions.csv").open()) - 1
    assert exceptions == env.scalar(f"select count(*) from `{env.work}`.migration_exceptions")


def test_the_plan_is_the_outcome_on_the_generators_data(migrated_by_cli):
    """test_legacy's promise without the legacy set: every edge case of the generator's data.
    The dry run's plan stays in the output directory: a real run measures no plan."""
    env, out, result = migrated_by_cli
    assert env.dry_run.returncode == 0, env.dry_run.stderr[-2000:]
    plan = json.loads((out / "reports/migration_plan.json").read_text())
    report = json.loads((out / "validation_report.json").read_text())
    assert plan_differences(plan, report) == []
    assert plan["totals"]["rows_rejected"] > 0 and plan["totals"]["rows_loaded_with_changes"] > 0


def test_report_html_states_the_numbers_of_the_validation_report_and_of_v2(migrated_by_cli):
    env, out, result = migrated_by_cli
    html = (out / "report.html").read_text("utf-8")
    report = json.loads((out / "validation_report.json").read_text())
    cells = Page(html).values("col", "table-rows")
    for t in report["tables"]:
        name = t["table_name"]
        for col, key in OUTCOME.items():
            expected = t[key] if col != "loaded" or t["disposition"] == "migrated" else 0
            assert cells[(name, col)] == expected, (name, col)
        if t["disposition"] == "migrated":
            assert cells[(name, "loaded")] == env.scalar(f"select count(*) from `{env.v2}`.`{name}`"), name
    # the dry run before it left the plan: every table loaded as planned
    plan = json.loads((out / "reports/migration_plan.json").read_text())
    for name, p in plan["tables"].items():
        if p["disposition"] == "migrated":
            assert cells[(name, "plan_load")] == p["rows_to_load"] == cells[(name, "loaded")], name
    assert "<script" not in html.lower() and "http://" not in html and "https://" not in html
    assert 'class="verdict passed"' in html


def test_report_html_of_a_real_run_holds_no_personal_data_and_renders_in_chromium(migrated_by_cli, tmp_path):
    env, out, _ = migrated_by_cli
    html = (out / "report.html").read_text("utf-8")
    values = personal_values(env)
    assert len(values) > 100
    word = re.compile(r"[\w@+.\-$/]+")  # as test_interruptions reads files for personal data
    assert not set(word.findall(html)) & values
    assert not [v for v in values if not word.fullmatch(v) and v in html]
    shot = chromium_screenshot(out / "report.html", tmp_path)
    assert shot.stat().st_size > 50_000, shot.stat().st_size  # a blank page is a few kilobytes


def test_the_terminal_ends_with_a_summary_that_states_v2s_counts(migrated_by_cli):
    env, out, result = migrated_by_cli
    lines = result.stderr.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:3] == ["table", "v1", "rows"])
    summary = {}
    for line in lines[header + 2:]:
        if line.startswith("-"):
            break
        name, *figures = line.split()
        summary[name] = [int(f.replace(",", "")) for f in figures[:7]]
    report = {t["table_name"]: t for t in json.loads((out / "validation_report.json").read_text())["tables"]}
    assert set(summary) == {n for n, t in report.items() if t["v1_rows"] or t["loaded_rows"]}
    for name, (v1, loaded, rejected, changed, moved, added, not_carried) in summary.items():
        t = report[name]
        assert (v1, rejected, changed, moved, added, not_carried) == (
            t["v1_rows"], t["rejected_rows"], t["changed_rows"], t["moved_rows"], t["added_rows"],
            t["not_carried_rows"]), name
        if t["disposition"] == "migrated":
            assert loaded == env.scalar(f"select count(*) from `{env.v2}`.`{name}`"), name
    total = next(line for line in lines if line.startswith("total "))
    assert int(total.split()[2].replace(",", "")) == sum(r[1] for r in summary.values())
    assert "(balances)" in result.stderr
    assert any(line.startswith("done in ") for line in lines)
    assert lines[-1] == f"reports: {out / 'report.html'}, {out / 'validation_report.json'}, {out / 'reports' / 'exceptions.csv'}"


def test_migration_log_keeps_the_dry_runs_section_after_the_real_run(migrated_by_cli):
    env, out, result = migrated_by_cli
    assert env.dry_run.returncode == 0, env.dry_run.stderr[-2000:]
    log = (out / "migration.log").read_text("utf-8")
    dry, real = log.find("--dry-run"), log.rfind("moh-migrate --config")
    assert 0 <= dry < real, "the dry run's section comes first and is kept"
    assert "dry run done in " in log[dry:real] and "done in " in log[real:]


def test_history_lists_every_run_on_this_v2(migrated_by_cli, tmp_path):
    env, out, _ = migrated_by_cli
    result = run_cli(config_for(env, tmp_path), "--history", mapping=None)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[3:]]
    runs = env.rows(f"select run_id, status, rows_loaded, rows_rejected from `{env.work}`.migration_runs")
    assert len(rows) == len(runs) >= 1
    for run_id, status, loaded, rejected in runs:
        row = next(r for r in rows if r[0] == str(run_id))
        assert row[1] == "full" and status in row and f"{loaded:,}" in row and f"{rejected:,}" in row
    report = json.loads((out / "validation_report.json").read_text())
    assert runs[-1][2] == report["totals"]["loaded_rows"] and runs[-1][3] == report["totals"]["rejected_rows"]
    assert not (tmp_path / "migration.log").exists()


def test_limit_50_run_from_another_directory_loads_50_patients_and_leaves_no_orphan(env, tmp_path):
    # a relative --config and --output-dir are the caller's, not the project's
    config_for(env, tmp_path)
    result = subprocess.run([sys.executable, "-m", "driver.cli", "--config", "config.yaml", "--mapping",
                             str(Path("mapping.example.yaml").resolve()), "--limit", "50", "--output-dir", "out"],
                            capture_output=True, text=True, cwd=tmp_path)
    out = tmp_path / "out"
    assert result.returncode == 0, result.stderr
    assert env.scalar(f"select count(*) from `{env.v2}`.patients") == 50
    assert env.scalar(f"select count(*) from `{env.v2}`.visits") > 50
    # the generated post-migration script passes, its 72 orphan checks among them
    rows = env.rows((out / "post_migration_checks.sql").read_text().strip().rstrip(";"))
    assert sum(1 for r in rows if r[0].startswith("orphans: ") and r[3] == "PASS") == 72
    assert rows[-1][3] == "ALL PASS", [r for r in rows if r[3] != "PASS"]


@pytest.mark.parametrize("config_changes, mapping_changes, code, message", [
    ({"colour": "blue"}, {}, 2, "unknown key 'colour'"),
    ({"new_db_url": "sqlite://root:Sec-123@h/db"}, {}, 2, "scheme 'sqlite'"),
    ({"old_db_url": "postgres://root:Sec-123@h/db"}, {}, 2, "v1 must be a MySQL or MariaDB database"),
    ({}, {"roles_patients": ["PATIENT", "DOCTOR"]}, 2, "role DOCTOR is in both"),
    ({}, {"enum_remaps": {"visits.status": {"WAITING_LIST_TRANSFERRED": "PARKED"}}}, 2, "'PARKED' is not a v2 value"),
    ({}, {"enum_remaps": {"icd_entities.class_kind": {"CHAPTER": "chapter", "BLOCK": "block", "CATEGORY": "category"}}},
     2, "has no v2 value"),
])
def test_bad_input_fails_before_connecting(env, tmp_path, config_changes, mapping_changes, code, message):
    config = config_for(env, tmp_path, password="Sec-123", **config_changes)
    mapping = yaml.safe_load(open("mapping.example.yaml"))
    mapping.update(mapping_changes)
    (tmp_path / "mapping.yaml").write_text(yaml.safe_dump(mapping))
    out = tmp_path / "out"
    result = run_cli(config, "--output-dir", str(out), mapping=str(tmp_path / "mapping.yaml"))
    assert result.returncode == code
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()[-1]) > 0
    assert_no_secret(result, out, "Sec-123")


def test_an_unreachable_server_fails_with_one_line(env, tmp_path):
    config = config_for(env, tmp_path, retry_attempts=1,
                        new_db_url=f"mysql+pymysql://root:Unreach-55@127.0.0.1:1/{env.v2}")
    result = run_cli(config, "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 3
    assert "new: no MySQL/MariaDB server answers at 127.0.0.1:1" in result.stderr
    assert_no_secret(result, tmp_path / "out", "Unreach-55")


def test_a_wrong_password_fails_without_showing_it(env, tmp_path, readonly_account):
    result = run_cli(config_for(env, tmp_path, user=readonly_account, password="Wrong-pass-991"),
                     "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 3
    assert "refused the login of moh_ro" in result.stderr
    assert_no_secret(result, tmp_path / "out", "Wrong-pass-991", PASSWORD)


def test_a_missing_privilege_is_named(env, tmp_path, readonly_account):
    result = run_cli(config_for(env, tmp_path, user=readonly_account, password=PASSWORD),
                     "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 3
    assert f"moh_ro lacks INSERT, DELETE on {env.v2}" in result.stderr
    assert_no_secret(result, tmp_path / "out", PASSWORD)


def test_a_missing_v2_table_stops_the_run_before_it_writes(env, tmp_path, scratch_env):
    broken = scratch_env("cli_missing", patients=30)
    broken.execute("set foreign_key_checks = 0", f"drop table `{broken.v2}`.vaccines")
    result = run_cli(config_for(broken, tmp_path), "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 4
    assert f"v2 database {broken.v2} lacks 1 tables (vaccines)" in result.stderr


def test_a_v2_column_the_migration_does_not_produce_is_refused_by_the_projects_marker(env, tmp_path, scratch_env):
    broken = scratch_env("cli_extra_column", patients=30)
    broken.execute(f"alter table `{broken.v2}`.visits add column triage_note varchar(50) null")
    result = run_cli(config_for(broken, tmp_path), "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 4
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: pre-flight: nothing was written to v2. v2 table {broken.v2}.visits does not match what the "
        "migration produces: v2 column triage_note has no v1 column and no rule")
    assert "MOH-" not in result.stderr
