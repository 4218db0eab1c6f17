"""The join of an event to the team its agent was in at the event's instant."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, or_

from reports.models import AgentTeam

__all__ = ["team_at"]


def team_at(agent: SQLColumnExpression[Any], at: SQLColumnExpression[Any]) -> ColumnElement[bool]:
    """The join condition: the team period of ``agent`` that holds the instant ``at``."""
    return and_(
        AgentTeam.agent_id == agent,
        or_(AgentTeam.starts_at.is_(None), AgentTeam.starts_at <= at),
        or_(AgentTeam.ends_at.is_(None), AgentTeam.ends_at > at),
    )
