"""The resume's dbt calls, with dbt stood in for: tests of kept models first, then the rest,
then the tests not yet run."""
from driver.dbt_runner import DbtResult
from driver.tasks.build import build_rest


class FakeDbt:
    def __init__(self, *results: DbtResult):
        self.calls, self.results = [], list(results)

    def __call__(self, *args):
        self.calls.append(args)
        return self.results.pop(0)


def ran(*tests: str, returncode: int = 0) -> DbtResult:
    return DbtResult(returncode, [{"unique_id": f"test.moh_migrate.{t}.x", "status": "pass"} for t in tests], "")


def test_a_resumed_build_tests_kept_models_first_then_builds_the_rest_then_the_remaining_tests():
    dbt = FakeDbt(ran("a_test"), ran("b_test"), ran("c_test"))
    result = build_rest(dbt, "build", ["patients", "users"])
    assert dbt.calls == [
        ("test", "--select", "patients", "users", "--indirect-selection", "cautious"),
        ("build", "--exclude", "patients", "users"),
        ("test", "--select", "patients", "users", "--exclude", "a_test", "b_test"),
    ]
    assert result.ok and len(result.results) == 3


def test_a_failed_test_of_kept_models_stops_before_anything_is_built():
    dbt = FakeDbt(ran("a_test", returncode=1))
    assert not build_rest(dbt, "build", ["users"]).ok
    assert len(dbt.calls) == 1


def test_without_validation_only_the_rest_is_run():
    dbt = FakeDbt(ran())
    build_rest(dbt, "run", ["users"])
    assert dbt.calls == [("run", "--exclude", "users")]
