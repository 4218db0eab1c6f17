"""Find the due leads in SQL, then apply the pure rules to the few that pass the prefilter.

The SQL prefilter only drops leads the rules would certainly refuse (closed, waiting for a retry,
outside the date window, customer's zone outside calling hours, number on the do-not-call list);
it uses ``ix_leads_due`` (status, next_contact_at), ``policies.end_date`` and
``do_not_call.phone``. Everything subtle (local dates, the daily cap, priority) stays in
:func:`renewals.cadence.decide.decide`, so the two can never disagree on who is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Exists, and_, exists, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from renewals.cadence.calendar import local_time
from renewals.cadence.decide import Decision, LeadSnapshot, decide
from renewals.cadence.rules import CadenceRules
from renewals.models import Customer, DoNotCall, Lead, LeadStage, LeadStatus, Policy, Vehicle

__all__ = ["DueLead", "active_dnc_clause", "find_due_leads", "zones_in_use"]


@dataclass(frozen=True, kw_only=True)
class DueLead:
    """A lead to call now, with what the agent's list shows."""

    decision: Decision
    policy_id: int
    plate: str
    customer_name: str
    phone: str
    end_date: date


def zones_in_use(session: Session) -> list[str]:
    """The distinct time zones of the customers in the book."""
    return [tz for tz in session.scalars(select(Customer.timezone).distinct()) if tz is not None]


def active_dnc_clause(
    phone_column: ColumnElement[str] | QueryableAttribute[str], at: datetime
) -> Exists:
    """SQL truth value: the number has a do-not-call entry in force at ``at``."""
    return exists().where(
        DoNotCall.phone == phone_column,
        or_(DoNotCall.expires_at.is_(None), DoNotCall.expires_at > at),
    )


def find_due_leads(
    session: Session, at: datetime, rules: CadenceRules, *, limit: int | None = None
) -> list[DueLead]:
    """The leads due at ``at``, highest priority first (ties: earlier expiry, then lead id)."""
    zones = [
        tz
        for tz in zones_in_use(session)
        if rules.calling_start
        <= local_time(at, tz, rules.default_timezone).time()
        < rules.calling_end
    ]
    if not zones:
        return []
    dates = [local_time(at, tz, rules.default_timezone).date() for tz in zones]
    lowest = min(dates) - timedelta(days=rules.grace_days_after_expiry)
    highest = max(dates) + timedelta(days=rules.first_call_days)
    query = (
        select(
            Lead.id,
            Lead.status,
            Lead.stage,
            Policy.end_date,
            Customer.timezone,
            Customer.tenure_years,
            Lead.attempts,
            Lead.contacts,
            Lead.day_attempts,
            Lead.day_attempts_date,
            Lead.last_outcome,
            Lead.next_contact_at,
            Lead.policy_id,
            Vehicle.plate,
            Customer.name,
            Customer.phone,
        )
        .join(Policy, Lead.policy_id == Policy.id)
        .join(Vehicle, Policy.vehicle_id == Vehicle.id)
        .join(Customer, Vehicle.customer_id == Customer.id)
        .where(
            Lead.status == LeadStatus.OPEN,
            Lead.stage != LeadStage.CLOSED,
            or_(Lead.next_contact_at.is_(None), Lead.next_contact_at <= at),
            and_(Policy.end_date >= lowest, Policy.end_date <= highest),
            Customer.timezone.in_(zones),
            ~active_dnc_clause(Customer.phone, at),
        )
    )
    due: list[DueLead] = []
    for row in session.execute(query):
        snapshot = LeadSnapshot(
            lead_id=row[0],
            status=row[1],
            stage=row[2],
            end_date=row[3],
            timezone=row[4],
            tenure_years=row[5],
            attempts=row[6],
            contacts=row[7],
            day_attempts=row[8],
            day_attempts_date=row[9],
            last_outcome=row[10],
            next_contact_at=row[11],
        )
        decision = decide(snapshot, at, rules)
        if decision.due:
            due.append(
                DueLead(
                    decision=decision,
                    policy_id=row[12],
                    plate=row[13],
                    customer_name=row[14],
                    phone=row[15],
                    end_date=row[3],
                )
            )
    due.sort(key=lambda d: (-d.decision.priority, d.end_date, d.decision.lead_id))
    return due if limit is None else due[:limit]
