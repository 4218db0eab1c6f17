"""The simulation profile: the pacing.md JSON, its validation, drift and lognormal times."""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

import pytest

from dialer.simulated import Lognormal, OutcomeShares, ProfileError, SimProfile

PACING_MD_EXAMPLE = {
    "name": "small-team",
    "agents": 10,
    "shift_hours": 8,
    "outcomes": {"human": 0.20, "machine": 0.10, "busy": 0.05, "failed": 0.02},
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


def test_the_pacing_md_example_loads_from_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    path.write_text(json.dumps(PACING_MD_EXAMPLE), encoding="utf-8")
    profile = SimProfile.load(path)
    assert profile.name == "small-team"
    assert profile.outcomes.no_answer == pytest.approx(0.63)
    assert profile.ring_s == Lognormal(mean=9, sd=5)
    assert profile.abandon_after_s == 2
    assert profile.setup_s == 0.5  # the one field pacing.md does not have


def test_profile_is_frozen() -> None:
    profile = SimProfile.from_mapping(PACING_MD_EXAMPLE)
    with pytest.raises(AttributeError):
        profile.amd_s = 1.0  # type: ignore[misc]


def test_missing_field_is_named() -> None:
    data = {k: v for k, v in PACING_MD_EXAMPLE.items() if k != "talk_s"}
    with pytest.raises(ProfileError, match="talk_s"):
        SimProfile.from_mapping(data)


@pytest.mark.parametrize(
    "change",
    [
        {"outcomes": {"human": 0.8, "machine": 0.3, "busy": 0, "failed": 0}},
        {"outcomes": {"human": -0.1, "machine": 0, "busy": 0, "failed": 0}},
        {"ring_s": {"mean": 0, "sd": 1}},
        {"amd_s": -1},
        {"human_drift_to": 0.95},
        {"unknown_field": 1},
    ],
    ids=["shares_over_one", "negative_share", "zero_mean", "negative_amd", "drift_too_big",
         "unknown_field"],
)  # fmt: skip
def test_bad_profiles_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(ProfileError):
        SimProfile.from_mapping({**PACING_MD_EXAMPLE, **change})


def test_not_json_and_not_an_object_are_profile_errors() -> None:
    with pytest.raises(ProfileError, match="not JSON"):
        SimProfile.from_json("{")
    with pytest.raises(ProfileError, match="object"):
        SimProfile.from_json("[]")


def test_human_share_drifts_linearly_over_the_shift() -> None:
    profile = SimProfile.from_mapping(
        {**PACING_MD_EXAMPLE, "outcomes": {**PACING_MD_EXAMPLE["outcomes"], "human": 0.4},
         "human_drift_to": 0.15}
    )  # fmt: skip
    assert profile.human_share_at(0) == pytest.approx(0.4)
    assert profile.human_share_at(4 * 3600) == pytest.approx(0.275)
    assert profile.human_share_at(9 * 3600) == pytest.approx(0.15)
    assert SimProfile.from_mapping(PACING_MD_EXAMPLE).human_share_at(3600) == 0.2


def test_lognormal_samples_have_the_asked_mean_and_sd() -> None:
    rng = random.Random(1)
    talk = Lognormal(mean=120, sd=70)
    samples = [talk.sample(rng) for _ in range(40_000)]
    assert statistics.fmean(samples) == pytest.approx(120, rel=0.03)
    assert statistics.stdev(samples) == pytest.approx(70, rel=0.06)
    assert min(samples) > 0
    assert Lognormal(mean=3, sd=0).sample(rng) == 3


def test_no_answer_is_the_rest() -> None:
    assert OutcomeShares(human=0.5, machine=0.5, busy=0, failed=0).no_answer == 0
