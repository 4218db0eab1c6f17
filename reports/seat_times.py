"""Seconds each agent spent in each seat state, from ``seat_events``, in one SQL statement.

A seat event starts a state that lasts until the agent's next event (or until ``now`` for the
last one). Each interval is clipped to the period and to the agent's team periods, so a pause
across midnight counts on each side of it, and an agent who changed teams has the time before
the change in the old team and the rest in the new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, func, literal, or_, select
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


def _events_in_play(start: datetime) -> Select[tuple[int]]:
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
    return select(last_before).select_from(Seat)


def seat_state_seconds(
    session: Session, *, start: datetime, end: datetime, now: datetime, team: str | None = None
) -> list[StateSeconds]:
    """Seconds per (agent, team, state, pause reason) within ``[start, min(end, now))``."""
    start_p = literal(start, UtcDateTime())
    stop_p = literal(min(end, now), UtcDateTime())
    events = (
        select(
            SeatEvent.agent_id,
            SeatEvent.state,
            SeatEvent.reason,
            SeatEvent.at.label("began"),
            func.lead(SeatEvent.at)
            .over(partition_by=SeatEvent.agent_id, order_by=(SeatEvent.at, SeatEvent.id))
            .label("next_at"),
        )
        .where(
            or_(
                and_(SeatEvent.at >= start, SeatEvent.at < end),
                SeatEvent.id.in_(_events_in_play(start)),
            )
        )
        .subquery("intervals")
    )
    ended = func.coalesce(events.c.next_at, stop_p)
    lo = greatest(events.c.began, start_p, func.coalesce(AgentTeam.starts_at, start_p))
    hi = least(ended, stop_p, func.coalesce(AgentTeam.ends_at, stop_p))
    team_col = func.coalesce(AgentTeam.team, EMPTY)
    reason = case((events.c.state == SeatState.PAUSED, events.c.reason), else_=EMPTY)
    seconds = func.sum(case((hi > lo, seconds_between(hi, lo)), else_=0))
    query = (
        select(
            events.c.agent_id,
            team_col.label("team"),
            events.c.state,
            reason.label("reason"),
            seconds.label("seconds"),
        )
        .select_from(events)
        .outerjoin(
            AgentTeam,
            and_(
                AgentTeam.agent_id == events.c.agent_id,
                or_(AgentTeam.starts_at.is_(None), AgentTeam.starts_at < ended),
                or_(AgentTeam.ends_at.is_(None), AgentTeam.ends_at > events.c.began),
            ),
        )
        .where(events.c.state != SeatState.LOGGED_OUT)
        .group_by(events.c.agent_id, team_col, events.c.state, reason)
        # An interval that touches a team period only outside the report adds nothing.
        .having(seconds > 0)
    )
    if team is not None:
        query = query.where(team_col == team)
    return [
        StateSeconds(agent, team_name, SeatState(state), why, float(seconds or 0))
        for agent, team_name, state, why, seconds in session.execute(query)
    ]
