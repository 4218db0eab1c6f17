"""The leads a book report covers: the renewal list of policies expiring in the period.

With a team, only the leads owned by an agent who was in that team at the period's end.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    case,
    exists,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from renewals.cadence.rules import ContactTarget
from renewals.models import Customer, Lead, LeadStatus, Policy, Vehicle
from renewals.sqltypes import UtcDateTime
from reports.models import AgentTeam
from reports.periods import Period

__all__ = ["book_leads", "book_leads_with_tenure", "cohort_of", "in_team"]


def book_leads(period: Period, team: str | None) -> Select[tuple[int, LeadStatus, int]]:
    """``(lead id, status, contacts)`` of the period's renewal list (a subquery to build on)."""
    query = (
        select(
            Lead.id.label("lead_id"), Lead.status.label("status"), Lead.contacts.label("contacts")
        )
        .join(Policy, Policy.id == Lead.policy_id)
        .where(Policy.end_date >= period.first, Policy.end_date <= period.last)
    )
    if team is not None:
        query = query.where(in_team(Lead.owner_agent, team, period.end))
    return query


def book_leads_with_tenure(
    period: Period, team: str | None
) -> Select[tuple[int, LeadStatus, int, int]]:
    """``(lead id, status, contacts, customer tenure)`` of the period's renewal list."""
    query = (
        select(
            Lead.id.label("lead_id"),
            Lead.status.label("status"),
            Lead.contacts.label("contacts"),
            Customer.tenure_years.label("tenure"),
        )
        .join(Policy, Policy.id == Lead.policy_id)
        .join(Vehicle, Vehicle.id == Policy.vehicle_id)
        .join(Customer, Customer.id == Vehicle.customer_id)
        .where(Policy.end_date >= period.first, Policy.end_date <= period.last)
    )
    if team is not None:
        query = query.where(in_team(Lead.owner_agent, team, period.end))
    return query


def in_team(agent: SQLColumnExpression[Any], team: str, when: datetime) -> ColumnElement[bool]:
    """The agent was in ``team`` at the instant ``when``."""
    member = aliased(AgentTeam)
    at = literal(when, UtcDateTime())
    return exists().where(
        member.agent_id == agent,
        member.team == team,
        or_(member.starts_at.is_(None), member.starts_at <= at),
        or_(member.ends_at.is_(None), member.ends_at > at),
    )


def cohort_of(
    tenure: SQLColumnExpression[int], targets: tuple[ContactTarget, ...]
) -> ColumnElement[int]:
    """The index of the first contact target whose tenure band holds ``tenure`` (else the last)."""
    whens = []
    for index, target in enumerate(targets):
        band = tenure >= target.min_years
        if target.max_years is not None:
            band = and_(band, tenure <= target.max_years)
        whens.append((band, index))
    return case(*whens, else_=len(targets) - 1)
