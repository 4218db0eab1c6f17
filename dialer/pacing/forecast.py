"""Short-horizon forecasts from a snapshot: agents freeing up and customers answering.

Each quantity is a sum of independent yes/no events (an agent frees up or not, a ringing call
turns into a live customer or not), so it is summarised by its mean and variance; the predictive
pacer compares the two sums with a normal approximation.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialer.pacing.distributions import LogNormal
from dialer.pacing.snapshot import AgentPhase, PacingSnapshot

__all__ = ["Forecaster", "Moments"]

# Busy signals and failures come back within a few seconds of dialing; after that a ringing
# call can only still be a person, a machine or a ring-out.
_QUICK_OUTCOME_S = 3.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Moments:
    """Mean and variance of a count."""

    mean: float
    var: float


class Forecaster:
    """Forecasts for one snapshot; build one per pacing decision."""

    def __init__(self, *, snapshot: PacingSnapshot, wrap_points: int = 5) -> None:
        stats = snapshot.stats
        self._snap = snapshot
        self._ring = LogNormal(spread=stats.ring)
        self._talk = LogNormal(spread=stats.talk)
        self._wrap = LogNormal(spread=stats.wrap)
        self._wrap_points = self._wrap.quantiles(wrap_points)
        self._max_ring = snapshot.limits.max_ring_s
        self._p_human = stats.human_rate
        self._p_machine = stats.machine_rate
        self._p_ring_out = stats.no_answer_rate
        self._p_quick = max(0.0, 1.0 - stats.human_rate - stats.machine_rate - stats.no_answer_rate)

    def answer_points(self, n: int) -> tuple[float, ...]:
        """``n`` representative answer delays (seconds) of a live answer to a new call."""
        return tuple(min(r, self._max_ring) for r in self._ring.quantiles(n))

    def new_call_answers_by(self, horizon_s: float) -> float:
        """P(a call placed now reaches a person within ``horizon_s``)."""
        return self._p_human * self._ring.cdf(min(horizon_s, self._max_ring))

    def agents_free_by(self, horizon_s: float) -> Moments:
        """Agents able to take a call by ``horizon_s``: ready ones plus busy ones freeing up."""
        mean = float(self._snap.ready_agents)
        var = 0.0
        for agent in self._snap.busy_agents:
            if agent.phase is AgentPhase.WRAP_UP:
                p = self._wrap.ends_within(agent.elapsed_s, horizon_s)
            else:
                p = self._talk_then_wrap_within(agent.elapsed_s, horizon_s)
            mean += p
            var += p * (1.0 - p)
        return Moments(mean=mean, var=var)

    def customers_by(self, horizon_s: float) -> Moments:
        """Customers wanting an agent by ``horizon_s``: those waiting plus calls in flight
        that will be answered by a person before then."""
        mean = float(len(self._snap.waiting_elapsed_s))
        var = 0.0
        for elapsed in self._snap.dialing_elapsed_s:
            p = self._in_flight_answers_within(elapsed, horizon_s)
            mean += p
            var += p * (1.0 - p)
        return Moments(mean=mean, var=var)

    def _talk_then_wrap_within(self, elapsed_s: float, horizon_s: float) -> float:
        # Remaining talk plus a whole wrap-up: average over representative wrap lengths.
        total = 0.0
        for wrap in self._wrap_points:
            left = horizon_s - wrap
            if left > 0.0:
                total += self._talk.ends_within(elapsed_s, left)
        return total / len(self._wrap_points)

    def _in_flight_answers_within(self, elapsed_s: float, horizon_s: float) -> float:
        if elapsed_s >= self._max_ring:
            return 0.0
        ring_left = 1.0 - self._ring.cdf(elapsed_s)
        human_left = self._p_human * ring_left
        unresolved = human_left + self._p_machine * ring_left + self._p_ring_out
        if elapsed_s < _QUICK_OUTCOME_S:
            unresolved += self._p_quick
        if unresolved <= 0.0:
            return 0.0
        end = min(elapsed_s + horizon_s, self._max_ring)
        answered = self._p_human * (self._ring.cdf(end) - self._ring.cdf(elapsed_s))
        return max(0.0, answered / unresolved)
