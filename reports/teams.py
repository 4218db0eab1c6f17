"""Agents' teams over time: assign an agent to a team from an instant on, list the periods."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.models import AgentTeam
from reports.rollup import forget_from

__all__ = ["assign_team", "team_periods"]


def assign_team(session: Session, agent_id: str, team: str, *, since: datetime | None) -> AgentTeam:
    """Put the agent in ``team`` from ``since`` on (None: for all time), in the caller's session.

    Periods starting at or after ``since`` are replaced and the period running at ``since`` is
    closed there, so an agent is in exactly one team at any instant after the first assignment.
    """
    forget_from(session, since)  # the rolled-up days from then on were put in the old team
    periods = session.scalars(select(AgentTeam).where(AgentTeam.agent_id == agent_id)).all()
    for period in periods:
        if since is None or (period.starts_at is not None and period.starts_at >= since):
            session.delete(period)
        elif period.ends_at is None or period.ends_at > since:
            period.ends_at = since
    session.flush()
    row = AgentTeam(agent_id=agent_id, team=team, starts_at=since, ends_at=None)
    session.add(row)
    session.flush()
    return row


def team_periods(session: Session, agent_id: str | None = None) -> Sequence[AgentTeam]:
    query = select(AgentTeam).order_by(AgentTeam.agent_id, AgentTeam.starts_at)
    if agent_id is not None:
        query = query.where(AgentTeam.agent_id == agent_id)
    return session.scalars(query).all()
