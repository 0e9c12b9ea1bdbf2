"""What the driver reads from the dbt project (dbt_project.yml vars) and the fingerprint a
resume compares, without a server."""
from driver.project import fingerprint, table_dispositions


def test_dispositions_come_from_the_project_vars():
    d = table_dispositions()
    assert len(d) == 63
    assert [t for t, k in d.items() if k == "v2_owned"] == ["migrations"]
    assert sorted(t for t, k in d.items() if k == "transient") == [
        "cache", "cache_locks", "failed_jobs", "job_batches", "jobs", "password_reset_tokens", "sessions"]
    assert sum(k == "migrated" for k in d.values()) == 55
    carried = table_dispositions(["sessions"])
    assert carried["sessions"] == "migrated" and sum(k == "migrated" for k in carried.values()) == 56


def test_the_fingerprint_changes_with_the_vars_and_the_secret_only():
    base = fingerprint({"roles_staff": ["DOCTOR"], "sample_patients": None}, "s")
    assert base == fingerprint({"sample_patients": None, "roles_staff": ["DOCTOR"]}, "s")
    assert base != fingerprint({"roles_staff": ["DOCTOR"], "sample_patients": 50}, "s")
    assert base != fingerprint({"roles_staff": ["DOCTOR"], "sample_patients": None}, "t")
    assert len(base) == 64
