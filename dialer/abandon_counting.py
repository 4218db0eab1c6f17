"""Which stored calls count in the abandon rate (at most 3 % of live answers over 30 days), one
rule for the runtime that paces against the cap, the supervisors' floor and the compliance report.

A live answer is a call answered by a person that reached an agent (``completed``) or heard the
safe message (``abandoned``). A call answered and never bridged whose end the dialer did not see
(closed ``interrupted`` after an outage or a restart) may have been either, or a machine: its
fate is unknown, so it counts as abandoned, on both sides of the rate. The cap is about calls
the dialer may have left without an agent; an unknown fate is counted against it, never left
out of it (the stored outcome stays ``interrupted``: the call's own record does not guess).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_

from dialer.calls.states import Outcome
from renewals.models import ContactAttempt

__all__ = [
    "LIVE_OUTCOMES",
    "counted_abandoned",
    "counted_live_answer",
    "counts_as_abandoned",
    "unseen_after_answer",
]

LIVE_OUTCOMES = (Outcome.COMPLETED.value, Outcome.ABANDONED.value)


def unseen_after_answer() -> ColumnElement[bool]:
    """Answered, never bridged, closed with its end unseen."""
    a = ContactAttempt
    return and_(
        a.outcome == Outcome.INTERRUPTED.value, a.answered_at.is_not(None), a.bridged_at.is_(None)
    )


def counted_live_answer() -> ColumnElement[bool]:
    return or_(ContactAttempt.outcome.in_(LIVE_OUTCOMES), unseen_after_answer())


def counted_abandoned() -> ColumnElement[bool]:
    return or_(ContactAttempt.outcome == Outcome.ABANDONED.value, unseen_after_answer())


def _unseen(outcome: str | None, answered_at: datetime | None, bridged_at: datetime | None) -> bool:
    return outcome == Outcome.INTERRUPTED.value and answered_at is not None and bridged_at is None


def counts_as_abandoned(
    outcome: str | None, answered_at: datetime | None, bridged_at: datetime | None
) -> bool:
    """The rule of ``counted_abandoned`` for one call in memory."""
    return outcome == Outcome.ABANDONED.value or _unseen(outcome, answered_at, bridged_at)
