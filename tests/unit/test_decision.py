"""Start, resume or refuse, and whether a rollback can go ahead: decided without a server."""
from datetime import datetime

import pytest

from driver.safety.decision import Policy, decide, resumable, rollback_refusal

INPUTS = "f" * 64
DONE = datetime(2025, 1, 1)


def last_run(status: str, *, backup: bool = True, inputs: str = INPUTS, attempts: int = 1) -> dict:
    return {"run_id": 7, "status": status, "attempts": attempts, "inputs_fingerprint": inputs,
            "backup_completed_at": DONE if backup else None, "backup_schema": "v2_backup" if backup else None,
            "finished_at": DONE}


def policy(*, backup: bool = True, replace_existing: bool = False, inputs: str = INPUTS) -> Policy:
    return Policy(inputs, backup, replace_existing)


def test_a_first_run_into_an_empty_v2_starts_with_a_backup():
    d = decide(None, [], policy())
    assert (d.action, d.take_backup, d.replacing, d.refusal) == ("start", True, (), None)
    assert decide(None, [], policy(backup=False)).take_backup is False


@pytest.mark.parametrize("status", ["running", "failed"])
def test_a_run_that_did_not_end_is_resumed_keeping_its_models_when_nothing_changed(status):
    assert resumable(last_run(status))
    d = decide(last_run(status, attempts=2), None, policy())
    assert (d.action, d.run_id, d.attempt, d.keep_models, d.take_backup) == ("resume", 7, 3, True, False)


def test_a_resume_with_other_inputs_rebuilds_every_model():
    d = decide(last_run("failed", inputs="0" * 64), None, policy())
    assert d.action == "resume" and d.keep_models is False


def test_a_resume_whose_backup_never_completed_takes_it_now():
    d = decide(last_run("running", backup=False), None, policy())
    assert d.action == "resume" and d.take_backup is True
    assert decide(last_run("running", backup=False), None, policy(backup=False)).take_backup is False


def test_foreign_rows_are_never_looked_at_for_a_resume():
    # a resumed run has written v2 itself: its rows are not foreign
    d = decide(last_run("running"), [("roles", 2)], policy())
    assert d.action == "resume"


@pytest.mark.parametrize("status", ["succeeded", "rolled_back"])
def test_after_a_run_that_ended_a_new_one_starts(status):
    assert not resumable(last_run(status))
    assert decide(last_run(status), [], policy()).action == "start"


def test_rows_this_tool_did_not_write_are_refused_without_replace_existing():
    foreign = [("countries", 1), ("roles", 2)]
    d = decide(None, foreign, policy())
    assert d.action == "refuse" and d.replacing == tuple(foreign)
    assert d.refusal == ("pre-flight: v2 tables hold rows this tool did not write, which the migration would "
                         "replace: countries (1 rows), roles (2 rows); run again with --replace-existing to "
                         "replace them (they are backed up first)")


def test_more_than_ten_foreign_tables_are_counted():
    d = decide(None, [(f"t{i}", 1) for i in range(13)], policy())
    assert d.refusal.count(" rows)") == 10 and "and 3 more tables" in d.refusal


def test_replace_existing_replaces_them_but_only_with_a_backup():
    foreign = [("roles", 2)]
    d = decide(None, foreign, policy(replace_existing=True))
    assert (d.action, d.take_backup, d.replacing) == ("start", True, (("roles", 2),))
    refused = decide(None, foreign, policy(replace_existing=True, backup=False))
    assert refused.action == "refuse" and "needs a backup" in refused.refusal


def test_rollback_goes_ahead_only_with_a_complete_backup_of_a_run_not_yet_rolled_back():
    where = ("v2", "v2_migrate.migration_runs")
    assert rollback_refusal(last_run("succeeded"), *where, 55, 55) is None
    assert rollback_refusal(last_run("failed"), *where, 55, 55) is None
    assert rollback_refusal(None, *where, 0, 0) == \
        "nothing to roll back: no moh-migrate run is recorded for v2 (in v2_migrate.migration_runs)"
    assert "was already rolled back" in rollback_refusal(last_run("rolled_back"), *where, 55, 55)
    assert "took no backup" in rollback_refusal(last_run("succeeded", backup=False), *where, 0, 55)
    assert "is incomplete" in rollback_refusal(last_run("succeeded"), *where, 54, 55)
