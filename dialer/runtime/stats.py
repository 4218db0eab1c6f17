"""The statistics a pacer reads, kept from the calls this runtime saw end.

Rolling 30-day abandon counts come from the database (the only place that survives a restart);
everything shorter lives in memory.
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dialer.calls.states import Outcome
from dialer.pacing import AbandonWindow, OutcomeStats, Spread
from renewals.models import ContactAttempt

__all__ = ["CallStats", "rolling_abandons"]

LIVE = (Outcome.COMPLETED.value, Outcome.ABANDONED.value)
# Before any call ended, the pacer gets these (it stays progressive until it has real data).
_DEFAULT_RING = Spread(mean_s=10.0, sd_s=5.0)
_DEFAULT_TALK = Spread(mean_s=120.0, sd_s=60.0)
_DEFAULT_WRAP = Spread(mean_s=20.0, sd_s=10.0)


def rolling_abandons(session: Session, campaign_id: str, *, now: datetime) -> AbandonWindow:
    """Live answers and abandons of the campaign over the 30 days to ``now``."""
    rows = session.execute(
        select(ContactAttempt.outcome, func.count())
        .where(
            ContactAttempt.campaign_id == campaign_id,
            ContactAttempt.started_at > now - timedelta(days=30),
            ContactAttempt.outcome.in_(LIVE),
        )
        .group_by(ContactAttempt.outcome)
    ).all()
    counts = {outcome: count for outcome, count in rows}
    abandoned = counts.get(Outcome.ABANDONED.value, 0)
    return AbandonWindow(
        live_answers=abandoned + counts.get(Outcome.COMPLETED.value, 0), abandoned=abandoned
    )


def _spread(values: Iterable[float], default: Spread) -> Spread:
    data = [v for v in values if v > 0]
    if len(data) < 5:
        return default
    return Spread(mean_s=statistics.fmean(data), sd_s=statistics.pstdev(data))


class CallStats:
    """Recent outcomes and durations, bounded in memory."""

    def __init__(self, *, calls: int, recent_window_s: float) -> None:
        self._outcomes: deque[Outcome] = deque(maxlen=calls)
        self._ring: deque[float] = deque(maxlen=calls)
        self._talk: deque[float] = deque(maxlen=calls)
        self._wrap: deque[float] = deque(maxlen=calls)
        self._recent: deque[tuple[datetime, bool]] = deque()  # (answered at, abandoned)
        self._window = timedelta(seconds=recent_window_s)
        self.rolling = AbandonWindow(live_answers=0, abandoned=0)
        self._cached: OutcomeStats | None = None  # recomputed only after a call or wrap-up ends

    def call_ended(
        self, outcome: Outcome, *, at: datetime, ring_s: float | None, talk_s: float | None
    ) -> None:
        self._outcomes.append(outcome)
        if outcome in (Outcome.COMPLETED, Outcome.ABANDONED):
            if ring_s is not None:
                self._ring.append(ring_s)
            abandoned = outcome is Outcome.ABANDONED
            self._recent.append((at, abandoned))
            self.rolling = AbandonWindow(
                live_answers=self.rolling.live_answers + 1,
                abandoned=self.rolling.abandoned + abandoned,
            )
        if talk_s is not None and outcome is Outcome.COMPLETED:
            self._talk.append(talk_s)

    def wrap_ended(self, wrap_s: float) -> None:
        self._cached = None
        self._wrap.append(wrap_s)

    def recent(self, now: datetime) -> AbandonWindow:
        while self._recent and self._recent[0][0] < now - self._window:
            self._recent.popleft()
        abandoned = sum(1 for _at, ab in self._recent if ab)
        return AbandonWindow(live_answers=len(self._recent), abandoned=abandoned)

    def outcome_stats(self) -> OutcomeStats:
        if self._cached is None:
            self._cached = self._compute()
        return self._cached

    def _compute(self) -> OutcomeStats:
        n = len(self._outcomes)

        def share(outcome: Outcome) -> float:
            return sum(1 for x in self._outcomes if x is outcome) / n if n else 0.0

        human = share(Outcome.COMPLETED) + share(Outcome.ABANDONED)
        return OutcomeStats(
            attempts=n,
            human_rate=human,
            machine_rate=share(Outcome.MACHINE),
            no_answer_rate=share(Outcome.NO_ANSWER),
            ring=_spread(self._ring, _DEFAULT_RING),
            talk=_spread(self._talk, _DEFAULT_TALK),
            wrap=_spread(self._wrap, _DEFAULT_WRAP),
        )
