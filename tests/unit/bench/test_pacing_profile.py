import json
from pathlib import Path

import pytest

from bench.pacing_sim.attempts import AttemptBook, Outcome
from bench.pacing_sim.profile import ProfileError, load_profile, parse_profile

PROFILES = Path(__file__).parents[3] / "bench" / "profiles"


def _raw() -> dict:
    return json.loads((PROFILES / "small-team.json").read_text())


@pytest.mark.parametrize(
    ("name", "agents", "human", "talk"),
    [
        ("small-team", 10, 0.20, 120),
        ("large-team", 50, 0.35, 180),
        ("drifting-list", 20, 0.40, 120),
    ],
)
def test_shipped_profiles_match_pacing_md(
    name: str, agents: int, human: float, talk: float
) -> None:
    profile = load_profile(PROFILES / f"{name}.json")
    assert (profile.name, profile.agents, profile.human, profile.talk_s.mean) == (
        name,
        agents,
        human,
        talk,
    )
    assert profile.abandon_cap == 0.03


def test_drifting_list_falls_from_forty_to_fifteen_percent_over_the_shift() -> None:
    profile = load_profile(PROFILES / "drifting-list.json")
    assert profile.human_share(0.0) == pytest.approx(0.40)
    assert profile.human_share(profile.shift_s / 2) == pytest.approx(0.275)
    assert profile.human_share(profile.shift_s) == pytest.approx(0.15)


def test_missing_field_is_reported_by_name() -> None:
    raw = _raw()
    del raw["amd_s"]
    with pytest.raises(ProfileError, match="amd_s"):
        parse_profile(raw)


def test_outcome_shares_above_one_are_rejected() -> None:
    raw = _raw()
    raw["outcomes"]["human"] = 0.95
    with pytest.raises(ProfileError):
        parse_profile(raw)


def test_unreadable_profile_file_is_a_profile_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ProfileError):
        load_profile(bad)


def test_attempt_book_is_the_same_for_the_same_seed() -> None:
    profile = parse_profile(_raw())
    one, two = AttemptBook(profile=profile, seed=7), AttemptBook(profile=profile, seed=7)
    # Read in different orders: attempt k's dice do not depend on who asks first.
    late = two.get(50)
    assert [one.get(k) for k in range(60)][50] == late
    assert AttemptBook(profile=profile, seed=8).get(0) != one.get(0)


def test_attempt_outcomes_follow_the_profile_shares() -> None:
    profile = parse_profile(_raw())
    book = AttemptBook(profile=profile, seed=3)
    fates = [book.resolve(k, placed_at_s=0.0) for k in range(20_000)]
    humans = sum(f.outcome is Outcome.HUMAN for f in fates) / len(fates)
    # A few answers come after max ring and become no-answers.
    assert 0.18 < humans < 0.205
    assert all(f.after_s == profile.max_ring_s for f in fates if f.outcome is Outcome.NO_ANSWER)
