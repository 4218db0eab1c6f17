"""Per agent and team: calls offered and answered, leads contacted, quotes, wins, premium, gifts.

Each figure is one grouped SQL statement; every event is put in the team its agent was in at
that instant (a call across midnight counts on the day it was answered).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, case, distinct, func, outerjoin, select
from sqlalchemy.orm import Session, aliased

from renewals.models import ContactAttempt, Disposition, DispositionKind, Quote
from reports.models import AgentTeam
from reports.sqltime import EMPTY
from reports.team_join import team_at

__all__ = ["CallCounts", "Outcomes", "answered_counts", "outcome_counts"]

Key = tuple[str, str]


@dataclass(slots=True)
class CallCounts:
    calls_offered: int = 0  # filled from the seat events (``reports.seat_times``)
    calls_answered: int = 0
    contacts: int = 0  # distinct leads the agent spoke with
    quotes: int = 0  # quotes given (stored) while the agent had the lead
    wins: int = 0
    premium_written_cents: int = 0
    gifts: int = 0  # wins with a gift given


def _team() -> ColumnElement[str]:
    return func.coalesce(AgentTeam.team, EMPTY)


def _grouped(
    session: Session, query: Select[tuple[str, str, int]], team: str | None
) -> Iterable[tuple[str, str, int]]:
    if team is not None:
        query = query.where(_team() == team)
    for agent, team_name, value in session.execute(query):
        yield agent, team_name, int(value or 0)


def _answered(start: datetime, end: datetime) -> Select[tuple[str | None, str, int, int]]:
    a = ContactAttempt
    agent = func.coalesce(a.agent, EMPTY)
    return (
        select(agent, _team(), func.count(), func.count(distinct(a.lead_id)))
        .select_from(outerjoin(a, AgentTeam, team_at(agent, a.bridged_at)))
        .where(a.bridged_at >= start, a.bridged_at < end, a.agent.is_not(None))
        .group_by(agent, _team())
    )


def _quotes(start: datetime, end: datetime) -> Select[tuple[str, str, int]]:
    # A quote names no agent: it is the agent's of the lead's latest call answered by then.
    a = aliased(ContactAttempt)
    quoter = (
        select(a.agent)
        .where(a.lead_id == Quote.lead_id, a.bridged_at <= Quote.created_at, a.agent.is_not(None))
        .order_by(a.bridged_at.desc(), a.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    quoted = (
        select(quoter.label("agent"), Quote.lead_id, Quote.created_at)
        .where(Quote.created_at >= start, Quote.created_at < end)
        .subquery()
    )
    return (
        select(quoted.c.agent, _team(), func.count())
        .select_from(outerjoin(quoted, AgentTeam, team_at(quoted.c.agent, quoted.c.created_at)))
        .where(quoted.c.agent.is_not(None))
        .group_by(quoted.c.agent, _team())
    )


def _dispositions(start: datetime, end: datetime) -> Select[tuple[str, str, int, int, int]]:
    d = Disposition
    won = d.kind == DispositionKind.AGREED
    return (
        select(
            d.agent,
            _team(),
            func.sum(case((won, 1), else_=0)),
            func.sum(case((won, func.coalesce(d.premium_written_cents, 0)), else_=0)),
            func.sum(case((won & (d.gifts != ""), 1), else_=0)),
        )
        .select_from(outerjoin(d, AgentTeam, team_at(d.agent, d.at)))
        .where(d.at >= start, d.at < end)
        .group_by(d.agent, _team())
    )


@dataclass(slots=True)
class Outcomes:
    """The figures that can be summed day by day (so they are rolled up with the seat times)."""

    quotes: int = 0
    wins: int = 0
    premium_written_cents: int = 0
    gifts: int = 0

    def add(self, other: Outcomes) -> None:
        self.quotes += other.quotes
        self.wins += other.wins
        self.premium_written_cents += other.premium_written_cents
        self.gifts += other.gifts


def outcome_counts(
    session: Session, *, start: datetime, end: datetime, team: str | None = None
) -> dict[Key, Outcomes]:
    """Quotes, renewals won, premium written and gifts of ``[start, end)`` per (agent, team)."""
    counts: dict[Key, Outcomes] = {}
    for agent, name, n in _grouped(session, _quotes(start, end), team):
        counts.setdefault((agent, name), Outcomes()).quotes = n
    query = _dispositions(start, end)
    if team is not None:
        query = query.where(_team() == team)
    for agent, name, wins, premium, gifts in session.execute(query):
        row = counts.setdefault((agent, name), Outcomes())
        row.wins, row.premium_written_cents, row.gifts = int(wins), int(premium), int(gifts)
    return counts


def answered_counts(
    session: Session, *, start: datetime, end: datetime, team: str | None = None
) -> dict[Key, tuple[int, int]]:
    """``(calls answered, distinct leads contacted)`` of ``[start, end)`` per (agent, team).

    Always from the attempts: distinct leads do not add up day by day, and a call's answer is
    stored when it ends, possibly well after midnight."""
    query = _answered(start, end)
    if team is not None:
        query = query.where(_team() == team)
    return {
        (agent, name): (int(calls), int(leads))
        for agent, name, calls, leads in session.execute(query)
    }
