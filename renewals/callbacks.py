"""Scheduling callbacks outside a call, and an agent's list of the callbacks due today.

A callback is the lead's cadence state (``renewals.cadence.sticky`` says who may take it); the
disposition that set it records who scheduled it. Times are aware; ``at`` is now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from renewals.cadence.calendar import local_time
from renewals.cadence.errors import LeadClosed, LeadNotFound
from renewals.cadence.outcomes import apply_outcome
from renewals.cadence.rules import CadenceRules, Outcome
from renewals.errors import InvalidDisposition
from renewals.models import (
    Customer,
    Disposition,
    DispositionKind,
    Lead,
    LeadStatus,
    Policy,
    Vehicle,
)

__all__ = ["CallbackRow", "callbacks_due", "schedule_callback"]

CALLBACKS_LIMIT = 100


@dataclass(frozen=True, kw_only=True)
class CallbackRow:
    """A pending callback on the agent's list; ``kept`` when it is theirs alone (sticky)."""

    lead_id: int
    due_at: datetime
    kept: bool
    customer_name: str
    phone: str  # full: the caller masks it
    plate: str


def schedule_callback(
    session: Session,
    *,
    lead_id: int,
    agent: str,
    due_at: datetime,
    kept: bool,
    at: datetime,
    rules: CadenceRules,
    notes: str = "",
) -> Disposition:
    """The agent books a callback on one of their leads without a call (the customer asked by
    other means): kept for ``agent`` or for the team. ``due_at`` must be later and inside the
    customer's calling hours. In the caller's transaction; raises :class:`InvalidDisposition`.
    """
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LeadNotFound(lead_id)
    if lead.status is not LeadStatus.OPEN:
        raise LeadClosed(lead_id, lead.status.value)
    if due_at <= at:
        raise InvalidDisposition(lead_id, "callback_at", "the callback time is in the past")
    timezone = session.scalar(
        select(Customer.timezone)
        .join(Vehicle, Vehicle.customer_id == Customer.id)
        .join(Policy, Policy.vehicle_id == Vehicle.id)
        .where(Policy.id == lead.policy_id)
    )
    local = local_time(due_at, timezone or "", rules.default_timezone).time()
    if not rules.calling_start <= local < rules.calling_end:
        raise InvalidDisposition(
            lead_id, "callback_at", "outside calling hours in the customer's time zone"
        )
    apply_outcome(
        session, lead_id, Outcome.CALLBACK, at, rules, callback_at=due_at, count_attempt=False
    )
    lead.callback_agent = agent if kept else None  # sticky: only this agent gets it when due
    disposition = Disposition(
        lead_id=lead_id,
        agent=agent,
        at=at,
        kind=DispositionKind.CALLBACK,
        callback_at=due_at,
        notes=notes,
    )
    session.add(disposition)
    session.flush()
    return disposition


def callbacks_due(
    session: Session, agent: str, *, before: datetime, limit: int = CALLBACKS_LIMIT
) -> list[CallbackRow]:
    """The pending callbacks due before ``before`` (end of today) that are the agent's: kept for
    them, or booked by them for the team. Overdue ones not yet called are listed too."""
    booked_by_agent = exists().where(
        Disposition.lead_id == Lead.id,
        Disposition.agent == agent,
        Disposition.kind == DispositionKind.CALLBACK,
        Disposition.callback_at == Lead.next_contact_at,
    )
    rows = session.execute(
        select(Lead.id, Lead.next_contact_at, Lead.callback_agent, Customer.name, Customer.phone)
        .add_columns(Vehicle.plate)
        .join(Policy, Lead.policy_id == Policy.id)
        .join(Vehicle, Policy.vehicle_id == Vehicle.id)
        .join(Customer, Vehicle.customer_id == Customer.id)
        .where(
            Lead.status == LeadStatus.OPEN,
            Lead.last_outcome == Outcome.CALLBACK.value,
            Lead.next_contact_at < before,
            or_(
                Lead.callback_agent == agent,
                and_(Lead.callback_agent.is_(None), booked_by_agent),
            ),
        )
        .order_by(Lead.next_contact_at, Lead.id)
        .limit(limit)
    ).all()
    return [
        CallbackRow(
            lead_id=row[0],
            due_at=row[1],
            kept=row[2] == agent,
            customer_name=row[3],
            phone=row[4],
            plate=row[5],
        )
        for row in rows
    ]
