"""Our predictive pacer: dial while the next call's customer would very probably find an agent.

For a call placed now, its customer (if a person answers) arrives after a ring delay ``r``; it
is served if, by ``r`` plus the 2-second rule, more agents have freed up (ready now, or ending
talk + wrap-up, forecast from the talk and wrap-up distributions and the elapsed times) than
customers have arrived before it (those waiting, calls in flight answering before ``r``, and the
calls placed before it in this decision). We add calls one at a time while the probability that
the next one's customer finds no agent stays under a risk threshold.

The threshold is the abandon budget turned into a price: every live answer earns
``target_share * abandon_cap`` of an abandon, every abandon spends one; the unspent slack in the
cap's rolling window raises the threshold exponentially, an overspend lowers it towards nothing.
This is an integral controller on the very figure the rule limits, so the rate settles under the
cap whatever the forecast's bias. Rules come first: no agent logged in → no call; too little
data → progressive; the short-window guard tripped → the risk drops to its floor (only calls
whose customer is all but sure to find an agent: a full fall-back to progressive cost ~1 point
of utilisation on a 10-agent team, where the guard trips on noise); never beyond the
lines-per-agent cap; never fewer calls than progressive would place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dialer.pacing.distributions import normal_cdf
from dialer.pacing.forecast import Forecaster, Moments
from dialer.pacing.progressive import progressive_count
from dialer.pacing.snapshot import PacingSnapshot

__all__ = ["PredictivePacer", "PredictiveSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PredictiveSettings:
    """Tuning of the predictive pacer (defaults are the benchmarked ones).

    ``target_share``: share of the abandon cap the controller aims at (margin for noise).
    ``base_risk``: risk threshold with no slack; ``risk_gain``: its growth per abandon of slack;
    ``max_slack``: slack (in abandons) beyond which it stops growing, so a month of careful
    dialing is not spent in one burst; below ``min_slack`` (abandons in hand) the risk is at its
    floor, so the rate stays under the cap at every moment, not only over a long window.
    ``min_attempts`` / ``min_live_answers``: below these the
    statistics are too thin and the pacer is progressive.
    """

    target_share: float = 0.95
    base_risk: float = 0.01
    min_risk: float = 0.001
    max_risk: float = 0.6
    risk_gain: float = 0.15
    max_slack: float = 15.0
    min_slack: float = 1.0
    min_attempts: int = 30
    min_live_answers: int = 5
    answer_points: int = 3
    wrap_points: int = 5


class PredictivePacer:
    """Forecast-driven predictive pacing under an abandon budget."""

    name = "predictive"

    def __init__(self, *, settings: PredictiveSettings | None = None) -> None:
        self._settings = settings or PredictiveSettings()

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        if snapshot.agents_logged_in == 0 or snapshot.working_agents == 0:
            return 0
        floor = progressive_count(snapshot)
        if self._too_little_data(snapshot):
            return floor
        headroom = snapshot.line_headroom()
        risk = self.risk_threshold(snapshot)
        extra = self._count_within_risk(snapshot, risk=risk, limit=headroom)
        return min(headroom, max(floor, extra))

    def risk_threshold(self, snapshot: PacingSnapshot) -> float:
        """Highest acceptable probability that the next call's customer finds no agent."""
        s = self._settings
        if self._guard_tripped(snapshot):
            return s.min_risk
        window = snapshot.rolling
        earned = s.target_share * snapshot.limits.abandon_cap * window.live_answers
        slack = min(earned - window.abandoned, s.max_slack)
        if slack < s.min_slack:
            # Less than one abandon in hand (a fresh window, or one just spent): dialing ahead
            # now would put the rate over the cap at the next miss, so only take tiny risks.
            return s.min_risk
        risk = s.base_risk * math.exp(s.risk_gain * slack)
        return min(s.max_risk, max(s.min_risk, risk))

    def _too_little_data(self, snapshot: PacingSnapshot) -> bool:
        stats = snapshot.stats
        answers = stats.attempts * stats.human_rate
        return stats.attempts < self._settings.min_attempts or (
            answers < self._settings.min_live_answers
        )

    @staticmethod
    def _guard_tripped(snapshot: PacingSnapshot) -> bool:
        recent, limits = snapshot.recent, snapshot.limits
        return (
            recent.live_answers >= limits.short_window_min_answers
            and recent.rate > limits.short_window_cap
        )

    def _count_within_risk(self, snapshot: PacingSnapshot, *, risk: float, limit: int) -> int:
        forecaster = Forecaster(snapshot=snapshot, wrap_points=self._settings.wrap_points)
        grace = snapshot.limits.abandon_after_s
        points = []
        for r in forecaster.answer_points(self._settings.answer_points):
            agents = forecaster.agents_free_by(r + grace)
            customers = forecaster.customers_by(r)
            points.append((agents, customers, forecaster.new_call_answers_by(r)))
        placed = 0
        while placed < limit and _miss_probability(points, placed) <= risk:
            placed += 1
        return placed


def _miss_probability(points: list[tuple[Moments, Moments, float]], earlier: int) -> float:
    """P(no agent for the customer of one more call), averaged over its answer delays.

    ``earlier`` calls placed in the same decision may reach a person before it.
    """
    total = 0.0
    for agents, customers, p_new in points:
        mean = agents.mean - customers.mean - earlier * p_new
        var = agents.var + customers.var + earlier * p_new * (1.0 - p_new)
        # Served needs at least one agent left over: P(balance <= 0), continuity-corrected.
        # The small variance floor keeps a near-certain balance from turning into a hard step.
        total += normal_cdf((0.5 - mean) / math.sqrt(var + 0.05))
    return total / len(points)
