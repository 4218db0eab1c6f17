"""The statistics a pacer reads, kept from the calls this runtime saw end.

Rolling 30-day abandon counts come from the database (the only place that survives a restart);
everything shorter lives in memory.
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from dialer.abandon_counting import counted_abandoned, counted_live_answer
from dialer.calls.states import Outcome
from dialer.pacing import AbandonWindow, OutcomeStats, Spread
from dialer.telephony.events import (
    AnswerKind,
    CallAnswered,
    CallBusy,
    CallEvent,
    CallFailed,
    CallNoAnswer,
)
from renewals.models import ContactAttempt

__all__ = ["CallStats", "fate_of", "rolling_abandons"]

# Before any call ended, the pacer gets these (it stays progressive until it has real data).
_DEFAULT_RING = Spread(mean_s=10.0, sd_s=5.0)
_DEFAULT_TALK = Spread(mean_s=120.0, sd_s=60.0)
_DEFAULT_WRAP = Spread(mean_s=20.0, sd_s=10.0)
_MIN_SAMPLES = 5


def rolling_abandons(session: Session, campaign_id: str, *, now: datetime) -> AbandonWindow:
    """Live answers and abandons of the campaign over the 30 days to ``now``, counted as the
    compliance report counts them (``dialer.abandon_counting``)."""
    live, abandoned = session.execute(
        select(
            func.sum(case((counted_live_answer(), 1), else_=0)),
            func.sum(case((counted_abandoned(), 1), else_=0)),
        ).where(
            ContactAttempt.campaign_id == campaign_id,
            ContactAttempt.started_at > now - timedelta(days=30),
        )
    ).one()
    return AbandonWindow(live_answers=int(live or 0), abandoned=int(abandoned or 0))


def fate_of(event: CallEvent, *, dialed_at: datetime) -> tuple[Outcome, float | None] | None:
    """The line's fate if ``event`` tells it (a person is ``COMPLETED``), with the seconds from
    dial to answer for an answer."""
    if isinstance(event, CallAnswered) and event.kind is not AnswerKind.UNKNOWN:
        fate = Outcome.MACHINE if event.kind is AnswerKind.MACHINE else Outcome.COMPLETED
        return fate, (event.at - dialed_at).total_seconds()
    if isinstance(event, CallBusy):
        return Outcome.BUSY, None
    if isinstance(event, CallNoAnswer):
        return Outcome.NO_ANSWER, None
    if isinstance(event, CallFailed):
        return Outcome.FAILED, None
    return None


def _spread(values: Iterable[float], default: Spread) -> Spread:
    data = [v for v in values if v > 0]
    if len(data) < _MIN_SAMPLES:
        return default
    return Spread(mean_s=statistics.fmean(data), sd_s=statistics.pstdev(data))


class CallStats:
    """Recent outcomes and durations, bounded in memory.

    Survivorship: early in a shift the calls that have ended are the short ones. So a line's
    fate (human, machine, busy, no answer, failed) is counted when it is known, not when the call
    ends, and the talk time counts the conversations still going (time on test).
    """

    def __init__(self, *, calls: int, recent_window_s: float) -> None:
        self._fates: deque[Outcome] = deque(maxlen=calls)
        self._ring: deque[float] = deque(maxlen=calls)
        self._talk: deque[float] = deque(maxlen=calls)
        self._wrap: deque[float] = deque(maxlen=calls)
        self._recent: deque[tuple[datetime, bool]] = deque()  # (answered at, abandoned)
        self._window = timedelta(seconds=recent_window_s)
        self.rolling = AbandonWindow(live_answers=0, abandoned=0)
        self._cached: OutcomeStats | None = None  # without the talk spread, which moves each tick

    def fate_known(self, fate: Outcome, *, ring_s: float | None = None) -> None:
        """The line's fate is known (``COMPLETED`` for a person); ``ring_s`` dial to answer."""
        self._cached = None
        self._fates.append(fate)
        if ring_s is not None:
            self._ring.append(ring_s)

    def call_ended(self, outcome: Outcome, *, at: datetime, talk_s: float | None) -> None:
        self._cached = None
        if outcome in (Outcome.COMPLETED, Outcome.ABANDONED):
            self._live_answer(at, abandoned=outcome is Outcome.ABANDONED)
        if talk_s is not None and outcome is Outcome.COMPLETED:
            self._talk.append(talk_s)

    def unseen_after_answer(self, *, at: datetime) -> None:
        """A call answered and never bridged was closed with its end unseen: an abandon, as
        ``dialer.abandon_counting`` counts it."""
        self._cached = None
        self._live_answer(at, abandoned=True)

    def _live_answer(self, at: datetime, *, abandoned: bool) -> None:
        self._recent.append((at, abandoned))
        self.rolling = AbandonWindow(
            live_answers=self.rolling.live_answers + 1,
            abandoned=self.rolling.abandoned + abandoned,
        )

    def wrap_ended(self, wrap_s: float) -> None:
        self._cached = None
        self._wrap.append(wrap_s)

    def recent(self, now: datetime) -> AbandonWindow:
        while self._recent and self._recent[0][0] < now - self._window:
            self._recent.popleft()
        abandoned = sum(1 for _at, ab in self._recent if ab)
        return AbandonWindow(live_answers=len(self._recent), abandoned=abandoned)

    def outcome_stats(self, *, ongoing_talk_s: Sequence[float] = ()) -> OutcomeStats:
        """The statistics; ``ongoing_talk_s``: seconds so far of the conversations still up."""
        if self._cached is None:
            self._cached = self._compute()
        return replace(self._cached, talk=self._talk_spread(ongoing_talk_s))

    def _talk_spread(self, ongoing: Sequence[float]) -> Spread:
        done = [t for t in self._talk if t > 0]
        if len(done) < _MIN_SAMPLES:
            return _DEFAULT_TALK
        observed = statistics.fmean(done)
        # Time on test: every second talked, ended or not, over the conversations that ended.
        mean = max(observed, (sum(done) + sum(ongoing)) / len(done))
        return Spread(mean_s=mean, sd_s=statistics.pstdev(done) * mean / observed)

    def _compute(self) -> OutcomeStats:
        n = len(self._fates)

        def share(fate: Outcome) -> float:
            return sum(1 for x in self._fates if x is fate) / n if n else 0.0

        return OutcomeStats(
            attempts=n,
            human_rate=share(Outcome.COMPLETED),
            machine_rate=share(Outcome.MACHINE),
            no_answer_rate=share(Outcome.NO_ANSWER),
            ring=_spread(self._ring, _DEFAULT_RING),
            talk=_DEFAULT_TALK,
            wrap=_spread(self._wrap, _DEFAULT_WRAP),
        )
