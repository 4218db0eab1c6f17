"""What a dialed customer will do, drawn once per call from the profile and a seeded generator."""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass

from dialer.simulated.profile import SimProfile

__all__ = ["CallFate", "Response", "draw_fate"]

# Failures seen from a real Asterisk in fixture 03 (the Q.850 cause of the Hangup event).
_FAILURES = ((21, "Call Rejected"), (1, "Unallocated (unassigned) number"))
_RING_DRAWS = 20


class Response(enum.StrEnum):
    """How the customer's line responds."""

    HUMAN = "human"
    MACHINE = "machine"
    BUSY = "busy"
    FAILED = "failed"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True, slots=True, kw_only=True)
class CallFate:
    """The drawn future of one call (seconds)."""

    response: Response
    ring_s: float
    talk_s: float
    cause: int = 0
    cause_text: str = ""


def _ring(profile: SimProfile, rng: random.Random, limit_s: float) -> float:
    # An answered call must answer before the ring timeout, or the shares would drift with the
    # timeout: redraw the long tail, and clamp in the unlikely case it stays too long.
    for _ in range(_RING_DRAWS):
        ring = profile.ring_s.sample(rng)
        if ring < limit_s:
            return ring
    return 0.9 * limit_s


def draw_fate(
    profile: SimProfile, rng: random.Random, *, human_share: float, ring_timeout_s: float
) -> CallFate:
    """Draw the response (by the profile's shares, human share as given), ring and talk time."""
    shares = profile.outcomes
    u = rng.random()
    bounds = (
        (human_share, Response.HUMAN),
        (shares.machine, Response.MACHINE),
        (shares.busy, Response.BUSY),
        (shares.failed, Response.FAILED),
    )
    response, acc = Response.NO_ANSWER, 0.0
    for share, candidate in bounds:
        acc += share
        if u < acc:
            response = candidate
            break
    ring = _ring(profile, rng, min(ring_timeout_s, profile.max_ring_s))
    talk = profile.talk_s.sample(rng)
    cause, text = rng.choice(_FAILURES) if response is Response.FAILED else (0, "")
    return CallFate(response=response, ring_s=ring, talk_s=talk, cause=cause, cause_text=text)
