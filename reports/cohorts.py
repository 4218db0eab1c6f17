"""Renewal rate and contacts per win by tenure cohort, and the leads at risk.

The cohorts are the cadence rules' contact targets (the playbook's first renewal 5+ contacts,
2-3 years 3-4, 4 years and more 1-2), so the report checks those targets on our own data.
Contacts are the leads' stored count of attempts that reached the customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from renewals.cadence.rules import CadenceRules, ContactTarget
from renewals.models import Customer, Lead, LeadStatus, Policy, Vehicle
from renewals.phones import mask_phone
from reports.book import book_leads_with_tenure, cohort_of, in_team
from reports.periods import Period

__all__ = ["AtRisk", "CohortRow", "cohort_report", "leads_at_risk"]


@dataclass(frozen=True, slots=True)
class CohortRow:
    target: ContactTarget
    leads: int
    won: int
    lost: int
    contacts: int  # contacts made with all the cohort's leads

    @property
    def renewal_rate(self) -> float | None:
        return self.won / self.leads if self.leads else None

    @property
    def contacts_per_win(self) -> float | None:
        return self.contacts / self.won if self.won else None


def cohort_report(
    session: Session, period: Period, *, rules: CadenceRules, team: str | None = None
) -> list[CohortRow]:
    """One row per contact target, in the rules' order (empty cohorts included)."""
    book = book_leads_with_tenure(period, team).subquery("book")
    cohort = cohort_of(book.c.tenure, rules.contact_targets)
    lost = book.c.status.in_((LeadStatus.LOST, LeadStatus.DO_NOT_CALL))
    rows = session.execute(
        select(
            cohort,
            func.count(),
            func.sum(case((book.c.status == LeadStatus.WON, 1), else_=0)),
            func.sum(case((lost, 1), else_=0)),
            func.sum(book.c.contacts),
        )
        .select_from(book)
        .group_by(cohort)
    )
    found = {int(i): (int(n), int(w or 0), int(x or 0), int(c or 0)) for i, n, w, x, c in rows}
    return [
        CohortRow(target, *found.get(index, (0, 0, 0, 0)))
        for index, target in enumerate(rules.contact_targets)
    ]


@dataclass(frozen=True, slots=True)
class AtRisk:
    lead_id: int
    plate: str
    customer: str
    phone_masked: str
    expires: date
    days_left: int
    contacts: int
    target_contacts: int


def leads_at_risk(
    session: Session,
    *,
    now: datetime,
    rules: CadenceRules,
    zone: str,
    horizon_days: int | None = None,
    team: str | None = None,
    limit: int = 500,
) -> list[AtRisk]:
    """Open leads expiring within ``horizon_days`` of today in ``zone`` (default: the step-up
    days, T-15) with fewer contacts than their cohort's target, soonest expiry first."""
    today = now.astimezone(ZoneInfo(zone)).date()
    horizon = rules.step_up_days if horizon_days is None else horizon_days
    targets = rules.contact_targets
    needed = case(
        *(
            (cohort_of(Customer.tenure_years, targets) == i, t.min_contacts)
            for i, t in enumerate(targets)
        ),
        else_=targets[-1].min_contacts,
    )
    query = (
        select(
            Lead.id,
            Vehicle.plate,
            Customer.name,
            Customer.phone,
            Policy.end_date,
            Lead.contacts,
            needed,
        )
        .join(Policy, Policy.id == Lead.policy_id)
        .join(Vehicle, Vehicle.id == Policy.vehicle_id)
        .join(Customer, Customer.id == Vehicle.customer_id)
        .where(
            Lead.status == LeadStatus.OPEN,
            Policy.end_date >= today,
            Policy.end_date <= today + timedelta(days=horizon),
            Lead.contacts < needed,
        )
        .order_by(Policy.end_date, Lead.id)
        .limit(limit)
    )
    if team is not None:
        query = query.where(in_team(Lead.owner_agent, team, now))
    return [
        AtRisk(lead, plate, name, mask_phone(phone), end, (end - today).days, contacts, target)
        for lead, plate, name, phone, end, contacts, target in session.execute(query)
    ]
