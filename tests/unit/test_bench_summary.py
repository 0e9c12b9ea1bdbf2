"""The bench's closing summary (moh_dev.bench.where_the_time_goes): each target met or missed
by the seconds it is missed by, the phases by size, the largest models first."""
from moh_dev.bench import where_the_time_goes


def scale(load: float, whole: float) -> dict:
    return {"patients": 1000, "limit": {"seconds": 100.0},
            "migrate": {"seconds": whole,
                        "phases": {"pre_flight": 5.0, "crosswalks": whole - load - 5.0, "load": load, "reports": 0.0},
                        "models": {"patients": {"seconds": 40.0}, "visits": {"seconds": 60.0},
                                   "roles": {"seconds": 0.1}}}}


def test_a_missed_target_says_by_how_many_seconds_and_a_met_one_says_met():
    text = where_the_time_goes(scale(load=130.0, whole=190.0))
    assert "load: 130.0 s, 1.30x the limit (target 1.2x: missed by 10.0 s)" in text
    assert "whole run: 190.0 s, 1.90x the limit (target 2.0x: met)" in text


def test_phases_by_size_with_their_share_and_the_largest_models_first():
    text = where_the_time_goes(scale(load=60.0, whole=250.0), largest=2)
    assert "by phase: crosswalks and candidate rows 185.0 s (74%), load 60.0 s (24%), pre-flight 5.0 s (2%)" in text
    assert "reports" not in text  # a phase that took no time is left out
    assert text.endswith("its largest models: visits 60.0 s, patients 40.0 s")
