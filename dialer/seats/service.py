"""Seat state changes, each persisted with a ``SeatEvent`` in the caller's transaction."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dialer.errors import SeatTransitionNotAllowed
from dialer.models import Seat, SeatEvent, SeatState

__all__ = ["SEAT_TRANSITIONS", "change_seat", "expire_wrap_ups", "get_seat", "renew_heard"]

log = logging.getLogger(__name__)

S = SeatState
# Which state may follow which. WRAP_UP/PAUSED → ON_CALL: the backend's queue offered a call in
# the instant before our pause reached it; the seat must then show the call it really has.
# LOGGED_OUT → ON_CALL likewise: a seat that lapsed was offered a call before its QueueRemove.
SEAT_TRANSITIONS: dict[SeatState, frozenset[SeatState]] = {
    S.LOGGED_OUT: frozenset({S.READY, S.PAUSED, S.ON_CALL}),
    S.READY: frozenset({S.RESERVED, S.ON_CALL, S.PAUSED, S.LOGGED_OUT}),
    S.RESERVED: frozenset({S.ON_CALL, S.READY, S.PAUSED}),
    S.ON_CALL: frozenset({S.WRAP_UP}),
    S.WRAP_UP: frozenset({S.READY, S.PAUSED, S.LOGGED_OUT, S.ON_CALL}),
    S.PAUSED: frozenset({S.READY, S.LOGGED_OUT, S.ON_CALL}),
}


def get_seat(session: Session, agent_id: str, *, at: datetime) -> Seat:
    """The agent's seat, created logged-out on first use."""
    seat = session.get(Seat, agent_id)
    if seat is None:
        seat = Seat(agent_id=agent_id, state=SeatState.LOGGED_OUT, since=at, pause_reason="")
        session.add(seat)
        session.flush()
    return seat


def change_seat(
    session: Session,
    agent_id: str,
    to: SeatState,
    *,
    at: datetime,
    campaign_id: str | None = None,
    reason: str = "",
    call_id: str | None = None,
) -> Seat:
    """Move the seat to ``to`` or raise :class:`SeatTransitionNotAllowed`; a no-op if already there.

    A pause needs a reason (reports break pauses down by it).
    """
    seat = get_seat(session, agent_id, at=at)
    if seat.state == to and to != SeatState.PAUSED:
        return seat
    if to not in SEAT_TRANSITIONS[seat.state] and seat.state != to:
        raise SeatTransitionNotAllowed(agent_id, seat.state.value, to.value)
    if to == SeatState.PAUSED and not reason:
        raise SeatTransitionNotAllowed(
            agent_id, seat.state.value, to.value, "a pause needs a reason"
        )
    if campaign_id is not None:
        seat.campaign_id = campaign_id
    seat.state = to
    seat.since = at
    seat.pause_reason = reason if to == SeatState.PAUSED else ""
    seat.call_id = call_id if to in {SeatState.RESERVED, SeatState.ON_CALL, S.WRAP_UP} else None
    session.add(
        SeatEvent(
            agent_id=agent_id,
            campaign_id=seat.campaign_id,
            at=at,
            state=to,
            reason=reason,
            call_id=seat.call_id,
        )
    )
    log.info("seat %s → %s%s", agent_id, to.value, f" ({reason})" if reason else "")
    return seat


def expire_wrap_ups(session: Session, *, now: datetime, limit_s: float) -> list[str]:
    """Seats whose wrap-up passed ``limit_s`` seconds go back to READY; returns their agent ids."""
    cutoff = now - timedelta(seconds=limit_s)
    stale = session.scalars(
        select(Seat).where(Seat.state == SeatState.WRAP_UP, Seat.since <= cutoff)
    ).all()
    for seat in stale:
        change_seat(session, seat.agent_id, SeatState.READY, at=now, reason="wrap_up_limit")
    return [seat.agent_id for seat in stale]


def renew_heard(session: Session, agent_ids: Collection[str], *, at: datetime) -> list[str]:
    """One UPDATE: the heartbeat of these agents' logged-in seats is ``at``; returns the
    agents whose seats were renewed (a logged-out seat is not brought back by a heartbeat)."""
    if not agent_ids:
        return []
    return list(
        session.scalars(
            update(Seat)
            .where(Seat.agent_id.in_(agent_ids), Seat.state != SeatState.LOGGED_OUT)
            .values(heard_at=at)
            .returning(Seat.agent_id)
        ).all()
    )
