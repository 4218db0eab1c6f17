"""The statistics a runtime keeps for its pacer, measured inside the simulation.

These are what a production runtime can know: outcomes of resolved attempts over a recent
window, recent ring/talk/wrap-up samples, live answers and abandons over the cap's window and
the short guard window. Nothing here peeks at the profile's true parameters.
"""

from __future__ import annotations

import math
from collections import deque

from bench.pacing_sim.attempts import Outcome
from dialer.pacing import AbandonWindow, OutcomeStats, Spread

__all__ = ["RuntimeStats"]

OUTCOME_WINDOW_S = 1800.0  # answer rates over the last 30 minutes
GUARD_WINDOW_S = 900.0  # the short-window guard looks at the last 15 minutes
SAMPLES = 300  # recent durations kept per kind

# Before any call has been measured the runtime starts from generic priors (not the profile's).
_PRIOR_RING = Spread(mean_s=10.0, sd_s=5.0)
_PRIOR_TALK = Spread(mean_s=150.0, sd_s=90.0)
_PRIOR_WRAP = Spread(mean_s=30.0, sd_s=15.0)


class _Samples:
    """The last ``SAMPLES`` durations with running sums."""

    def __init__(self, prior: Spread) -> None:
        self._values: deque[float] = deque()
        self._sum = 0.0
        self._sq = 0.0
        self._prior = prior

    def add(self, value: float) -> None:
        self._values.append(value)
        self._sum += value
        self._sq += value * value
        if len(self._values) > SAMPLES:
            old = self._values.popleft()
            self._sum -= old
            self._sq -= old * old

    def spread(self) -> Spread:
        n = len(self._values)
        if n < 5:
            return self._prior
        mean = self._sum / n
        var = max(0.0, self._sq / n - mean * mean)
        return Spread(mean_s=max(mean, 0.1), sd_s=math.sqrt(var))


class RuntimeStats:
    """Counters the simulated runtime updates as calls resolve."""

    def __init__(self) -> None:
        self._outcomes: deque[tuple[float, Outcome]] = deque()
        self._counts = dict.fromkeys(Outcome, 0)
        self.ring = _Samples(_PRIOR_RING)
        self.talk = _Samples(_PRIOR_TALK)
        self.wrap = _Samples(_PRIOR_WRAP)
        self._answers: deque[tuple[float, bool]] = deque()
        self._recent_abandons = 0
        self.live_answers = 0
        self.abandoned = 0
        self._cached: OutcomeStats | None = None

    def resolved(self, at_s: float, outcome: Outcome) -> None:
        self._outcomes.append((at_s, outcome))
        self._counts[outcome] += 1
        self._cached = None

    def answered(self, at_s: float, *, abandoned: bool) -> None:
        """A live answer's fate is known: connected to an agent or abandoned."""
        self.live_answers += 1
        self.abandoned += abandoned
        self._answers.append((at_s, abandoned))
        self._recent_abandons += abandoned

    def outcome_stats(self, now_s: float) -> OutcomeStats:
        while self._outcomes and self._outcomes[0][0] < now_s - OUTCOME_WINDOW_S:
            _, old = self._outcomes.popleft()
            self._counts[old] -= 1
            self._cached = None
        if self._cached is None:
            n = len(self._outcomes)
            share = (lambda o: self._counts[o] / n) if n else (lambda o: 0.0)
            self._cached = OutcomeStats(
                attempts=n,
                human_rate=share(Outcome.HUMAN),
                machine_rate=share(Outcome.MACHINE),
                no_answer_rate=share(Outcome.NO_ANSWER),
                ring=self.ring.spread(),
                talk=self.talk.spread(),
                wrap=self.wrap.spread(),
            )
        return self._cached

    def sample(self, kind: str, seconds: float) -> None:
        """A measured ring (to a live answer), talk or wrap-up duration."""
        {"ring": self.ring, "talk": self.talk, "wrap": self.wrap}[kind].add(seconds)
        self._cached = None

    def rolling(self) -> AbandonWindow:
        return AbandonWindow(live_answers=self.live_answers, abandoned=self.abandoned)

    def recent(self, now_s: float) -> AbandonWindow:
        while self._answers and self._answers[0][0] < now_s - GUARD_WINDOW_S:
            _, was_abandoned = self._answers.popleft()
            self._recent_abandons -= was_abandoned
        return AbandonWindow(live_answers=len(self._answers), abandoned=self._recent_abandons)
