import json
from pathlib import Path

import pytest

from bench.pacing import PACERS, main, run_profile
from bench.pacing_sim.profile import Profile, parse_profile

# A short shift keeps the whole benchmark well under a few seconds in tests.
SHORT = {
    "name": "short",
    "agents": 20,
    "shift_hours": 1,
    "outcomes": {"human": 0.30, "machine": 0.10, "busy": 0.05, "failed": 0.02},
    "human_drift_to": None,
    "ring_s": {"mean": 9, "sd": 5},
    "talk_s": {"mean": 120, "sd": 70},
    "wrap_s": {"mean": 20, "sd": 10},
    "amd_s": 2.5,
    "max_ring_s": 25,
    "abandon_after_s": 2,
    "max_lines_per_agent": 3,
    "abandon_cap": 0.03,
}
RESULT_KEYS = {
    "utilisation": float,
    "abandon_rate": float,
    "mean_wait_s": float,
    "calls_placed": int,
    "live_answers": int,
    "abandoned": int,
    "connects_per_agent_hour": float,
}


@pytest.fixture(scope="module")
def short() -> Profile:
    return parse_profile(SHORT)


@pytest.fixture(scope="module")
def results(short: Profile) -> dict:
    return run_profile(short, seed=11)


def test_same_seed_same_results(short: Profile, results: dict) -> None:
    again = run_profile(short, seed=11, names=("predictive", "vicidial_adapt_tapered"))
    assert again["predictive"] == results["predictive"]
    assert again["vicidial_adapt_tapered"] == results["vicidial_adapt_tapered"]


def test_another_seed_gives_another_shift(short: Profile, results: dict) -> None:
    other = run_profile(short, seed=12, names=("progressive",))
    assert other["progressive"] != results["progressive"]


def test_predictive_stays_under_the_cap_and_beats_progressive(results: dict) -> None:
    predictive = results["predictive"]
    assert predictive.abandon_rate <= SHORT["abandon_cap"]
    assert predictive.utilisation > results["progressive"].utilisation


def test_progressive_and_oracle_never_abandon(results: dict) -> None:
    assert results["progressive"].abandoned == 0
    assert results["oracle"].abandoned == 0


def test_oracle_is_the_upper_limit(results: dict) -> None:
    best = max(r.utilisation for name, r in results.items() if name != "oracle")
    assert results["oracle"].utilisation >= best


def test_rates_are_consistent_with_counts(results: dict) -> None:
    for r in results.values():
        assert 0.0 <= r.utilisation <= 1.0
        assert r.abandoned <= r.live_answers <= r.calls_placed
        if r.live_answers:
            assert r.abandon_rate == pytest.approx(r.abandoned / r.live_answers)


def test_json_output_has_exactly_the_specified_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "short.json"
    path.write_text(json.dumps(SHORT))
    assert main(["--profile", str(path), "--seed", "5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"profile", "seed", "pacers"}
    assert (out["profile"], out["seed"]) == ("short", 5)
    assert set(out["pacers"]) == set(PACERS)
    assert set(PACERS) <= {
        "preview",
        "progressive",
        "predictive",
        "vicidial_adapt_tapered",
        "issabel",
        "oracle",
    }
    for row in out["pacers"].values():
        assert list(row) == list(RESULT_KEYS)  # the order pacing.md lists them in
        for key, kind in RESULT_KEYS.items():
            assert type(row[key]) is kind, key


def test_table_output_names_every_pacer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "short.json"
    path.write_text(json.dumps(SHORT | {"shift_hours": 0.25}))
    assert main(["--profile", str(path)]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in PACERS)


def test_bad_profile_exits_with_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "x"}))
    assert main(["--profile", str(path)]) == 2
    assert "missing field" in capsys.readouterr().err
