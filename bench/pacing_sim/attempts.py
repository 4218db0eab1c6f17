"""Pre-drawn call attempts: the k-th call any pacer places gets the k-th attempt's dice.

Every pacer in one run reads the same book, so differences between pacers come from pacing,
not from luck. An attempt holds uniform and lognormal draws, not a fixed outcome, because with
a drifting list the outcome also depends on when in the shift the call is placed.
"""

from __future__ import annotations

import enum
import math
import random
from dataclasses import dataclass

from bench.pacing_sim.profile import Dist, Profile

__all__ = ["Attempt", "AttemptBook", "Outcome", "Resolved"]

# Network answers that the profile does not time: a busy tone and a failed setup come back fast.
BUSY_AFTER_S = 4.0
FAILED_AFTER_S = 1.0


class Outcome(enum.Enum):
    HUMAN = "human"
    MACHINE = "machine"
    BUSY = "busy"
    FAILED = "failed"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True, slots=True)
class Attempt:
    """The dice of one call attempt."""

    u: float
    ring_s: float
    talk_s: float
    wrap_s: float


@dataclass(frozen=True, slots=True)
class Resolved:
    """An attempt's fate when placed at a given time: outcome and seconds until it resolves
    (for a person: until the answer)."""

    outcome: Outcome
    after_s: float


def _lognormal(rng: random.Random, dist: Dist) -> float:
    ratio = max(dist.sd, 1e-6) / dist.mean
    var = math.log1p(ratio * ratio)
    return rng.lognormvariate(math.log(dist.mean) - var / 2.0, math.sqrt(var))


class AttemptBook:
    """Attempt k's dice, drawn lazily in order from one seeded stream and kept."""

    def __init__(self, *, profile: Profile, seed: int) -> None:
        self._profile = profile
        self._rng = random.Random(seed)
        self._attempts: list[Attempt] = []

    def get(self, index: int) -> Attempt:
        while len(self._attempts) <= index:
            p, rng = self._profile, self._rng
            u = rng.random()
            ring = _lognormal(rng, p.ring_s)
            talk = _lognormal(rng, p.talk_s)
            wrap = _lognormal(rng, p.wrap_s)
            self._attempts.append(Attempt(u=u, ring_s=ring, talk_s=talk, wrap_s=wrap))
        return self._attempts[index]

    def resolve(self, index: int, *, placed_at_s: float) -> Resolved:
        """What attempt ``index`` does when placed at ``placed_at_s`` into the shift."""
        p, a = self._profile, self.get(index)
        human = p.human_share(placed_at_s)
        edges = (
            (human, Outcome.HUMAN),
            (human + p.machine, Outcome.MACHINE),
            (human + p.machine + p.busy, Outcome.BUSY),
            (human + p.machine + p.busy + p.failed, Outcome.FAILED),
        )
        outcome = next((o for edge, o in edges if a.u < edge), Outcome.NO_ANSWER)
        answered = outcome in (Outcome.HUMAN, Outcome.MACHINE)
        if answered and a.ring_s > p.max_ring_s:
            # Would have picked up after we gave up ringing.
            outcome = Outcome.NO_ANSWER
        if outcome is Outcome.HUMAN:
            return Resolved(outcome, a.ring_s)
        if outcome is Outcome.MACHINE:
            return Resolved(outcome, a.ring_s + p.amd_s)
        if outcome is Outcome.BUSY:
            return Resolved(outcome, BUSY_AFTER_S)
        if outcome is Outcome.FAILED:
            return Resolved(outcome, FAILED_AFTER_S)
        return Resolved(outcome, p.max_ring_s)
