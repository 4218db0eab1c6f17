"""Find the due leads in SQL, rank and cut them there, then re-decide each with the pure rule.

The SQL applies every rule it can state exactly for one local date: open and not closed, retry
time reached, date window (T-50..expiry), calling hours (only zones inside them are queried),
daily cap, do-not-call (indexes: ``policies.end_date``, ``ix_leads_due``, ``do_not_call.phone``),
and orders by the same priority score (:mod:`renewals.cadence.sqlrank`) so ``LIMIT`` returns
the top of the list. :func:`renewals.cadence.decision.decide` then has the last word on each
returned row, so SQL and the pure rule cannot disagree on who is called.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Exists, Row, Select, and_, exists, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from renewals.cadence.calendar import local_time
from renewals.cadence.decision import Decision, LeadSnapshot, decide
from renewals.cadence.rules import CadenceRules, Outcome
from renewals.cadence.sqlrank import priority_sql
from renewals.cadence.sticky import StickyCallbacks, sticky_clause
from renewals.models import Customer, DoNotCall, Lead, LeadStage, LeadStatus, Policy, Vehicle

__all__ = ["DueLead", "LeadFilter", "active_dnc_clause", "find_due_leads", "zones_in_use"]


@dataclass(frozen=True, kw_only=True)
class DueLead:
    """A lead to call now, with what the agent's list shows."""

    decision: Decision
    policy_id: int
    plate: str
    customer_name: str
    phone: str
    end_date: date
    sql_priority: int  # the database's ranking score; equal to decision.priority


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


@dataclass(frozen=True, kw_only=True)
class LeadFilter:
    """A campaign's narrowing of the due list. Empty tuples and None mean "any".

    ``unleased_at`` drops leads whose lease (another runtime's call) is still live then;
    ``lead_ids`` keeps only those leads (an agent's preview dial of one lead);
    ``sticky`` drops the callbacks kept for another agent (None: the list shows them all);
    ``kept_for`` keeps only the callbacks kept for these agents (their seats are ready).
    """

    stages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    owner: str | None = None
    unleased_at: datetime | None = None
    lead_ids: tuple[int, ...] = ()
    sticky: StickyCallbacks | None = None
    kept_for: tuple[str, ...] = ()

    def clauses(self) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.stages:
            clauses.append(Lead.stage.in_([LeadStage(s) for s in self.stages]))
        if self.regions:
            clauses.append(Customer.region.in_(self.regions))
        if self.owner is not None:
            clauses.append(Lead.owner_agent == self.owner)
        if self.unleased_at is not None:
            clauses.append(
                or_(Lead.lease_owner.is_(None), Lead.lease_expires_at <= self.unleased_at)
            )
        if self.lead_ids:
            clauses.append(Lead.id.in_(self.lead_ids))
        if self.sticky is not None:
            clauses.append(sticky_clause(self.sticky))
        if self.kept_for:
            clauses.append(Lead.callback_agent.in_(self.kept_for))
            clauses.append(Lead.last_outcome == Outcome.CALLBACK.value)
        return clauses


def _zone_query(
    zones: list[str],
    today: date,
    at: datetime,
    rules: CadenceRules,
    limit: int | None,
    where: LeadFilter,
) -> Select[Any]:
    """Leads in ``zones`` (local date ``today``) passing every SQL-checkable rule, best first."""
    priority = priority_sql(today, rules).label("priority")
    capped = and_(
        Lead.day_attempts >= rules.daily_attempt_cap,
        Lead.day_attempts_date == today,
        func.coalesce(Lead.last_outcome, "") != Outcome.CALLBACK.value,
    )
    query = (
        select(*_COLUMNS, priority)
        .join(Policy, Lead.policy_id == Policy.id)
        .join(Vehicle, Policy.vehicle_id == Vehicle.id)
        .join(Customer, Vehicle.customer_id == Customer.id)
        .where(
            Lead.status == LeadStatus.OPEN,
            Lead.stage != LeadStage.CLOSED,
            or_(Lead.next_contact_at.is_(None), Lead.next_contact_at <= at),
            Policy.end_date >= today - timedelta(days=rules.grace_days_after_expiry),
            Policy.end_date <= today + timedelta(days=rules.first_call_days),
            Customer.timezone.in_(zones),
            ~capped,
            ~active_dnc_clause(Customer.phone, at),
            *where.clauses(),
        )
        .order_by(priority.desc(), Policy.end_date, Lead.id)
    )
    return query if limit is None else query.limit(limit)


_COLUMNS = (
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


def _due_lead(row: Row[Any], at: datetime, rules: CadenceRules) -> DueLead | None:
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
    if not decision.due:
        return None
    return DueLead(
        decision=decision,
        policy_id=row[12],
        plate=row[13],
        customer_name=row[14],
        phone=row[15],
        end_date=row[3],
        sql_priority=row[16],
    )


def find_due_leads(
    session: Session,
    at: datetime,
    rules: CadenceRules,
    *,
    limit: int | None = None,
    where: LeadFilter | None = None,
) -> list[DueLead]:
    """The leads due at ``at``, highest priority first (ties: earlier expiry, then lead id).

    One query per customer time zone inside calling hours; each ranks and cuts in SQL, and the
    pure rule re-decides every returned row (it has the last word on who is due and the score).
    """
    # Zones sharing a local date share "today", so they share one query (usually all of them).
    by_date: dict[date, list[str]] = {}
    for tz in zones_in_use(session):
        local = local_time(at, tz, rules.default_timezone)
        if rules.calling_start <= local.time() < rules.calling_end:
            by_date.setdefault(local.date(), []).append(tz)
    due: list[DueLead] = []
    connection = session.connection()  # Core rows: the ORM layer adds nothing for tuples
    for today, zones in by_date.items():
        for row in connection.execute(
            _zone_query(zones, today, at, rules, limit, where or LeadFilter())
        ):
            lead = _due_lead(row, at, rules)
            if lead is not None:
                due.append(lead)
    due.sort(key=lambda d: (-d.decision.priority, d.end_date, d.decision.lead_id))
    return due if limit is None else due[:limit]
