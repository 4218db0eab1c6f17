"""Seconds each agent spent in each seat state, and calls offered, from ``seat_events``.

A seat event starts a state that lasts until the agent's next event (or until ``now`` for the
last one). Each interval is clipped to the period and to the agent's team periods, so a pause
across midnight counts on each side of it, and an agent who changed teams has the time before
the change in the old team and the rest in the new one. One SQL statement: the events of the
period and each agent's last event before it, one window pass, one grouped join.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from dialer.models import Seat, SeatEvent, SeatState
from renewals.sqltypes import UtcDateTime
from reports.models import AgentTeam
from reports.sqltime import EMPTY, greatest, least, seconds_between

__all__ = ["StateSeconds", "seat_state_seconds"]


@dataclass(frozen=True, slots=True)
class StateSeconds:
    agent: str
    team: str
    state: SeatState
    reason: str  # the pause reason; "" for other states
    seconds: float
    offered: int  # calls handed to the agent that began in this state (reserved or on call)


def _columns() -> tuple[object, ...]:
    e = SeatEvent
    return (e.id, e.agent_id, e.state, e.reason, e.call_id, e.at.label("began"))


def _events_in_play(start: datetime, end: datetime) -> Select[tuple[object, ...]]:
    """The events in the period, plus each agent's last event before it (its state at start).

    The last event before ``start`` is found per seat through the (agent, at) index: one probe
    per agent instead of a scan of the whole history.
    """
    earlier = aliased(SeatEvent)
    last_before = (
        select(earlier.id)
        .where(earlier.agent_id == Seat.agent_id, earlier.at < start)
        .order_by(earlier.at.desc(), earlier.id.desc())
        .limit(1)
        .correlate(Seat)
        .scalar_subquery()
    )
    inside = select(*_columns()).where(SeatEvent.at >= start, SeatEvent.at < end)  # type: ignore[call-overload]
    before = select(*_columns()).where(SeatEvent.id.in_(select(last_before).select_from(Seat)))  # type: ignore[call-overload]
    return union_all(inside, before)  # type: ignore[return-value]


def _intervals(start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    events = _events_in_play(start, end).subquery("events")
    agent, order = events.c.agent_id, (events.c.began, events.c.id)
    previous_is_reservation = and_(
        func.lag(events.c.state).over(partition_by=agent, order_by=order) == SeatState.RESERVED,
        func.lag(events.c.call_id).over(partition_by=agent, order_by=order) == events.c.call_id,
    )
    # A call is offered once: when the seat is reserved for it, or when it is put through to a
    # seat that was not reserved for that very call.
    offered = case(
        (
            and_(
                events.c.began >= start,
                events.c.call_id.is_not(None),
                or_(
                    events.c.state == SeatState.RESERVED,
                    and_(events.c.state == SeatState.ON_CALL, ~previous_is_reservation),
                ),
            ),
            1,
        ),
        else_=0,
    )
    return select(
        events.c.agent_id,
        events.c.state,
        events.c.reason,
        events.c.began,
        func.lead(events.c.began).over(partition_by=agent, order_by=order).label("next_at"),
        offered.label("offered"),
    ).subquery("intervals")


def seat_state_seconds(
    session: Session, *, start: datetime, end: datetime, now: datetime, team: str | None = None
) -> list[StateSeconds]:
    """Seconds per (agent, team, state, pause reason) within ``[start, min(end, now))``."""
    start_p = literal(start, UtcDateTime())
    stop_p = literal(min(end, now), UtcDateTime())
    iv = _intervals(start, end)
    ended = func.coalesce(iv.c.next_at, stop_p)
    lo = greatest(iv.c.began, start_p, func.coalesce(AgentTeam.starts_at, start_p))
    hi = least(ended, stop_p, func.coalesce(AgentTeam.ends_at, stop_p))
    team_col = func.coalesce(AgentTeam.team, EMPTY)
    reason = case((iv.c.state == SeatState.PAUSED, iv.c.reason), else_=EMPTY)
    seconds = func.sum(case((hi > lo, seconds_between(hi, lo)), else_=0))
    # An offer counts in the team the agent was in when it began (one of the joined periods).
    began_in_team = and_(
        or_(AgentTeam.starts_at.is_(None), AgentTeam.starts_at <= iv.c.began),
        or_(AgentTeam.ends_at.is_(None), AgentTeam.ends_at > iv.c.began),
    )
    offered = func.sum(case((began_in_team, iv.c.offered), else_=0))
    query = (
        select(iv.c.agent_id, team_col, iv.c.state, reason, seconds, offered)
        .select_from(iv)
        .outerjoin(
            AgentTeam,
            and_(
                AgentTeam.agent_id == iv.c.agent_id,
                or_(AgentTeam.starts_at.is_(None), AgentTeam.starts_at < ended),
                or_(AgentTeam.ends_at.is_(None), AgentTeam.ends_at > iv.c.began),
            ),
        )
        .where(iv.c.state != SeatState.LOGGED_OUT)
        .group_by(iv.c.agent_id, team_col, iv.c.state, reason)
        # An interval that touches a team period only outside the report adds nothing.
        .having(or_(seconds > 0, offered > 0))
    )
    if team is not None:
        query = query.where(team_col == team)
    return [
        StateSeconds(agent, name, SeatState(state), why, float(secs or 0), int(n or 0))
        for agent, name, state, why, secs, n in session.execute(query)
    ]
