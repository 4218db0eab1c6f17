"""An agent's own leads: which they are, searching them, and whether one may be dialled by hand.

An agent's leads are those assigned to them (``leads.owner_agent``) and the unassigned ones
their calls reached; a lead assigned to another agent is never theirs. Phones are returned in
full: the console masks them before they leave the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from renewals.cadence.calendar import local_time
from renewals.cadence.errors import LeadNotFound, ManualDialRefused
from renewals.cadence.query import active_dnc_clause
from renewals.cadence.rules import CadenceRules, Outcome
from renewals.models import ContactAttempt, Customer, Lead, LeadStatus, Policy, Vehicle

__all__ = [
    "LeadHit",
    "ManualDial",
    "SearchPage",
    "check_manual_dial",
    "is_agents_lead",
    "search_leads",
]

MAX_PAGE_SIZE = 50
_LAST_FOUR = re.compile(r"^\d{4}$")


def _mine(agent: str) -> ColumnElement[bool]:
    reached = exists().where(ContactAttempt.lead_id == Lead.id, ContactAttempt.agent == agent)
    return or_(Lead.owner_agent == agent, and_(Lead.owner_agent.is_(None), reached))


def is_agents_lead(session: Session, lead_id: int, agent: str) -> bool:
    """Whether lead ``lead_id`` is one of ``agent``'s (False too when there is no such lead)."""
    return bool(session.scalar(select(exists().where(Lead.id == lead_id, _mine(agent)))))


@dataclass(frozen=True, kw_only=True)
class LeadHit:
    lead_id: int
    customer_name: str
    phone: str  # full: the caller masks it
    plate: str
    commercial_policy_no: str
    compulsory_policy_no: str
    end_date: date
    status: LeadStatus
    stage: str
    next_contact_at: datetime | None
    callback: bool  # a callback is pending


@dataclass(frozen=True, kw_only=True)
class SearchPage:
    hits: list[LeadHit]
    total: int
    page: int
    page_size: int


def _matches(text: str) -> ColumnElement[bool]:
    """Name, plate or policy number containing ``text``; four digits also match the phone's
    last four (the only part of a number an agent sees besides the prefix)."""
    terms = [
        Customer.name.contains(text, autoescape=True),
        func.upper(Vehicle.plate).contains(text.upper(), autoescape=True),
        Policy.commercial_policy_no.contains(text, autoescape=True),
        Policy.compulsory_policy_no.contains(text, autoescape=True),
    ]
    if _LAST_FOUR.match(text):
        terms.append(Customer.phone.endswith(text))
    return or_(*terms)


def search_leads(
    session: Session, agent: str, text: str, *, page: int = 1, page_size: int = 20
) -> SearchPage:
    """The agent's leads matching ``text`` (empty: all of them), soonest expiry first."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError("page from 1, page_size from 1 to 50")
    where = [_mine(agent)]
    text = text.strip()
    if text:
        where.append(_matches(text))
    base = (
        select(Lead.id)
        .join(Policy, Lead.policy_id == Policy.id)
        .join(Vehicle, Policy.vehicle_id == Vehicle.id)
        .join(Customer, Vehicle.customer_id == Customer.id)
        .where(*where)
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.add_columns(
            Customer.name,
            Customer.phone,
            Vehicle.plate,
            Policy.commercial_policy_no,
            Policy.compulsory_policy_no,
            Policy.end_date,
            Lead.status,
            Lead.stage,
            Lead.next_contact_at,
            Lead.last_outcome,
        )
        .order_by(Policy.end_date, Lead.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    hits = [
        LeadHit(
            lead_id=r[0],
            customer_name=r[1],
            phone=r[2],
            plate=r[3],
            commercial_policy_no=r[4],
            compulsory_policy_no=r[5],
            end_date=r[6],
            status=r[7],
            stage=r[8].value,
            next_contact_at=r[9],
            callback=r[10] == Outcome.CALLBACK.value and r[7] is LeadStatus.OPEN,
        )
        for r in rows
    ]
    return SearchPage(hits=hits, total=total, page=page, page_size=page_size)


@dataclass(frozen=True, kw_only=True)
class ManualDial:
    lead_id: int
    phone: str  # full, for the originate only


def check_manual_dial(
    session: Session, lead_id: int, *, at: datetime, rules: CadenceRules
) -> ManualDial:
    """May the lead be dialled by hand now? The lead must be open, its number not on the
    do-not-call list, the customer's local time inside calling hours (``rules``, narrowed by the
    campaign), and no call of it under way. The cadence's retry spacing and daily cap are an
    automatic dialer's rules: an agent's deliberate dial is not held by them.
    Raises :class:`ManualDialRefused` (or :class:`LeadNotFound`)."""
    row = session.execute(
        select(Lead.status, Lead.lease_owner, Lead.lease_expires_at, Customer.phone)
        .add_columns(Customer.timezone, active_dnc_clause(Customer.phone, at))
        .join(Policy, Lead.policy_id == Policy.id)
        .join(Vehicle, Policy.vehicle_id == Vehicle.id)
        .join(Customer, Vehicle.customer_id == Customer.id)
        .where(Lead.id == lead_id)
    ).one_or_none()
    if row is None:
        raise LeadNotFound(lead_id)
    status, lease_owner, lease_expires_at, phone, timezone, blocked = row
    if blocked:
        raise ManualDialRefused(lead_id, "do_not_call", "This number is on the do-not-call list.")
    if status is not LeadStatus.OPEN:
        raise ManualDialRefused(lead_id, "closed", "This lead is closed.")
    local = local_time(at, timezone, rules.default_timezone)
    if not rules.calling_start <= local.time() < rules.calling_end:
        raise ManualDialRefused(
            lead_id, "outside_hours", "Outside calling hours in the customer's time zone."
        )
    if lease_owner is not None and lease_expires_at is not None and lease_expires_at > at:
        raise ManualDialRefused(lead_id, "in_progress", "This lead is being dialled now.")
    return ManualDial(lead_id=lead_id, phone=phone)
