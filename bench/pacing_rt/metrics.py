"""The benchmark's figures for one shift, read back from the database the runtime wrote.

The same definitions as the discrete-event engine (``bench.pacing_sim.callmodel``):
utilisation is ON_CALL + WRAP_UP time over logged-in time within the shift; the mean wait is
the length of the READY spells that ended with a call; live answers are completed plus
abandoned attempts; connects are completed (bridged) attempts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.pacing_sim.callmodel import ShiftResult
from dialer.calls.states import Outcome
from dialer.models import SeatEvent, SeatState
from renewals.models import ContactAttempt, Lead

__all__ = ["SeatTimes", "abandoned_before", "seat_times", "shift_result", "untouched_leads"]

_BUSY = frozenset({SeatState.ON_CALL, SeatState.WRAP_UP})


@dataclass(frozen=True, slots=True, kw_only=True)
class SeatTimes:
    """Seconds summed over all seats, clipped to the shift."""

    logged_in_s: float
    busy_s: float
    waits_s: tuple[float, ...]  # one per READY spell that ended on a call


def seat_times(session: Session, *, campaign_id: str, start: datetime, end: datetime) -> SeatTimes:
    """Walk each seat's state history between ``start`` and ``end``."""
    rows = session.execute(
        select(SeatEvent.agent_id, SeatEvent.at, SeatEvent.state)
        .where(SeatEvent.campaign_id == campaign_id, SeatEvent.at < end)
        .order_by(SeatEvent.agent_id, SeatEvent.at, SeatEvent.id)
    ).all()
    history: dict[str, list[tuple[datetime, SeatState]]] = defaultdict(list)
    for agent_id, at, state in rows:
        history[agent_id].append((max(at, start), SeatState(state)))
    logged_in = busy = 0.0
    waits: list[float] = []
    for spells in history.values():
        # Each state lasts until the next change, the last one until the end of the shift.
        for (at, state), (until, following) in zip(
            spells, [*spells[1:], (end, SeatState.LOGGED_OUT)], strict=True
        ):
            seconds = (until - at).total_seconds()
            if state is not SeatState.LOGGED_OUT:
                logged_in += seconds
            if state in _BUSY:
                busy += seconds
            if state is SeatState.READY and following is SeatState.ON_CALL and until < end:
                waits.append(seconds)
    return SeatTimes(logged_in_s=logged_in, busy_s=busy, waits_s=tuple(waits))


def _outcome_counts(session: Session, campaign_id: str) -> dict[str, int]:
    rows = session.execute(
        select(ContactAttempt.outcome, func.count())
        .where(ContactAttempt.campaign_id == campaign_id)
        .group_by(ContactAttempt.outcome)
    ).all()
    return {str(outcome): count for outcome, count in rows}


def shift_result(
    session: Session, *, campaign_id: str, start: datetime, end: datetime, agents: int
) -> ShiftResult:
    """The seven figures of pacing.md for the shift ``start``..``end``."""
    seats = seat_times(session, campaign_id=campaign_id, start=start, end=end)
    counts = _outcome_counts(session, campaign_id)
    completed = counts.get(Outcome.COMPLETED.value, 0)
    abandoned = counts.get(Outcome.ABANDONED.value, 0)
    live = completed + abandoned
    agent_hours = agents * (end - start).total_seconds() / 3600.0
    return ShiftResult(
        utilisation=seats.busy_s / seats.logged_in_s if seats.logged_in_s else 0.0,
        abandon_rate=abandoned / live if live else 0.0,
        mean_wait_s=sum(seats.waits_s) / len(seats.waits_s) if seats.waits_s else 0.0,
        calls_placed=sum(counts.values()),
        live_answers=live,
        abandoned=abandoned,
        connects_per_agent_hour=completed / agent_hours if agent_hours else 0.0,
    )


def untouched_leads(session: Session) -> int:
    """Leads never dialed: above zero, the list did not run dry."""
    return int(session.scalar(select(func.count()).where(Lead.attempts == 0)) or 0)


def abandoned_before(session: Session, *, campaign_id: str, until: datetime) -> int:
    """Abandoned calls answered before ``until``: how much of the total is start-up."""
    return int(
        session.scalar(
            select(func.count()).where(
                ContactAttempt.campaign_id == campaign_id,
                ContactAttempt.outcome == Outcome.ABANDONED.value,
                ContactAttempt.answered_at < until,
            )
        )
        or 0
    )
