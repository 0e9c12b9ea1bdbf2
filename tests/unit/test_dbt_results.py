"""dbt's results read back without a server: events, merged calls, failure wording and the
exit code a marker of macros/refuse.sql asks for."""
import json

from driver.dbt_runner import DbtResult, last_dbt_message, marked_message, merge_results, node_finished
from driver.errors import EXIT_FAILED, EXIT_INPUT, EXIT_PREFLIGHT

REFUSAL = ("Encountered an error:\nRuntime Error\n  Compilation Error in model int_v2_tables_checked "
           "(models/intermediate/int_v2_tables_checked.sql)\n    MOH-REFUSED: pre-flight: nothing was written to v2.\n"
           "    v2 table n.visits does not match what the migration produces: v2 column triage_note has no v1 "
           "column and no rule\n    \n    > in macro refuse (macros/refuse.sql)\n"
           "    > called by model int_v2_tables_checked (models/intermediate/int_v2_tables_checked.sql)")


def result(*nodes, returncode=1, errors=(), output="") -> DbtResult:
    return DbtResult(returncode, [dict(n) for n in nodes], output, list(errors))


def node(uid, status, **extra) -> dict:
    return {"unique_id": uid, "status": status, **extra}


def test_a_refusal_marker_gives_exit_4_and_the_projects_words_alone():
    failure = result(errors=[REFUSAL]).failure("pre-flight")
    assert failure.code == EXIT_PREFLIGHT
    assert str(failure) == ("pre-flight: nothing was written to v2. v2 table n.visits does not match what the "
                            "migration produces: v2 column triage_note has no v1 column and no rule")


def test_a_mapping_marker_gives_exit_2():
    message = "Compilation Error in model x\n  MOH-MAPPING: carry_transient_tables: visits is not a transient table"
    assert marked_message(message) == (EXIT_INPUT, "carry_transient_tables: visits is not a transient table")
    model = node("model.moh_migrate.visits", "error", message=message)
    assert result(model).failure("migration failed").code == EXIT_INPUT


def test_dbt_wording_without_a_marker_is_a_plain_failure():
    # the words the driver once matched on decide nothing now
    failure = result(errors=["Compilation Error: table does not exist; pre-flight does not match"]).failure("x")
    assert failure.code == EXIT_FAILED
    assert str(failure) == "x: Compilation Error: table does not exist; pre-flight does not match"
    assert marked_message("MOH-REFUSED without the colon and space") is None


def test_a_failed_model_is_named_before_failed_tests():
    r = result(node("test.moh_migrate.unique_x.1", "fail", failures=3),
               node("model.moh_migrate.appointments", "error", message="Database Error\n  1452 (23000): fk fails"))
    assert str(r.failure("migration failed")) == "migration failed: model appointments failed: Database Error 1452 (23000): fk fails"


def test_failed_tests_are_counted_and_the_first_five_named():
    tests = [node(f"test.moh_migrate.t{i}.abc", "fail", failures=i) for i in range(7)]
    failure = result(*tests).failure("migration failed")
    assert str(failure) == ("migration failed: 7 dbt tests failed: t0 (0 rows), t1 (1 rows), t2 (2 rows), "
                            "t3 (3 rows), t4 (4 rows) and 2 more")
    assert failure.code == EXIT_FAILED


def test_without_an_error_event_the_last_thing_dbt_said_is_told():
    output = json.dumps({"info": {"msg": "Connection  refused\n by server"}}) + "\n\n"
    assert str(result(output=output).failure("pre-flight")) == "pre-flight: Connection refused by server"
    assert last_dbt_message("") == "dbt stopped without saying why"
    assert last_dbt_message("plain text line\n") == "plain text line"


def test_merged_calls_keep_the_last_result_of_each_node_and_the_worst_code():
    first = result(node("model.moh_migrate.a", "error"), node("test.moh_migrate.t.1", "pass"), returncode=1,
                   errors=["e1"], output="one\n")
    second = result(node("model.moh_migrate.a", "success", adapter_response={"rows_affected": 5},
                         relation_name="`v2`.`a`"), returncode=0, output="two\n")
    merged = merge_results([first, second])
    assert merged.returncode == 1 and merged.errors == ["e1"] and merged.output == "one\ntwo\n"
    assert merged.built("a") and not merged.built("b")
    assert merged.by_status() == {"success": 1, "pass": 1} and merged.by_status("test") == {"pass": 1}
    assert merged.tests_run() == ["t"]
    assert merged.rows_loaded("v2") == 5 and merged.rows_loaded("other") == 0


def test_finished_models_and_tests_are_read_from_dbt_events():
    model = {"info": {"name": "LogModelResult"}, "data": {
        "node_info": {"unique_id": "model.moh_migrate.visits", "node_name": "visits", "node_status": "success"},
        "status": "SUCCESS 120", "execution_time": 1.5, "index": 3, "total": 9}}
    test = {"info": {"name": "LogTestResult"}, "data": {
        "node_info": {"unique_id": "test.moh_migrate.unique_visits_id.1a"}, "name": "unique_visits_id",
        "status": "fail", "execution_time": 0.2, "num_failures": 4}}
    m, t = node_finished(model), node_finished(test)
    assert (m.name, m.status, m.shown, m.index, m.total, m.is_test) == ("visits", "success", "SUCCESS 120", 3, 9, False)
    assert (t.name, t.status, t.failures, t.is_test) == ("unique_visits_id", "fail", 4, True)
    assert node_finished({"info": {"name": "MainReportVersion"}, "data": {}}) is None


def test_rows_loaded_counts_the_v2_tables_on_either_engine():
    """MySQL names a table `database`.`table`; PostgreSQL "database"."schema"."table", where v2
    is the schema: rows written into the work schema or another database are not counted."""
    loaded = result(
        node("model.moh_migrate.a", "success", adapter_response={"rows_affected": 5}, relation_name='"new_moh"."public"."a"'),
        node("model.moh_migrate.b", "success", adapter_response={"rows_affected": 7},
             relation_name='"new_moh"."new_moh_migrate"."b"'),
        node("model.moh_migrate.c", "success", adapter_response={"rows_affected": 3}, relation_name="`public`.`c`"))
    assert loaded.rows_loaded("public") == 8 and loaded.rows_loaded("new_moh_migrate") == 7
    assert loaded.rows_loaded("new_moh") == 0
