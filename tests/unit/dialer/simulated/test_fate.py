"""Each call's fate: shares follow the profile, answered calls answer before the timeout."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from dialer.simulated import SimProfile
from dialer.simulated.fate import Response, draw_fate
from tests.unit.dialer.simulated.test_profile import PACING_MD_EXAMPLE

N = 20_000


def test_responses_match_the_profile_shares_within_four_sigma() -> None:
    profile = SimProfile.from_mapping(PACING_MD_EXAMPLE)
    rng = random.Random(3)
    counts = Counter(
        draw_fate(profile, rng, human_share=0.2, ring_timeout_s=25).response for _ in range(N)
    )
    expected = {Response.HUMAN: 0.2, Response.MACHINE: 0.1, Response.BUSY: 0.05,
                Response.FAILED: 0.02, Response.NO_ANSWER: 0.63}  # fmt: skip
    for response, share in expected.items():
        sigma = (share * (1 - share) / N) ** 0.5
        assert counts[response] / N == pytest.approx(share, abs=4 * sigma), response


def test_answered_ring_time_stays_under_the_ring_timeout() -> None:
    profile = SimProfile.from_mapping({**PACING_MD_EXAMPLE, "ring_s": {"mean": 14, "sd": 10}})
    rng = random.Random(4)
    rings = [draw_fate(profile, rng, human_share=1, ring_timeout_s=15).ring_s for _ in range(5000)]
    assert max(rings) < 15


def test_failures_carry_a_real_q850_cause() -> None:
    profile = SimProfile.from_mapping(
        {**PACING_MD_EXAMPLE, "outcomes": {"human": 0, "machine": 0, "busy": 0, "failed": 1}}
    )
    rng = random.Random(5)
    causes = {draw_fate(profile, rng, human_share=0, ring_timeout_s=20).cause for _ in range(50)}
    assert causes == {1, 21}
