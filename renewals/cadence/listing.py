"""The daily job's work: put policies entering T-60 on the renewal list, move leads by date.

Both steps are idempotent (running them twice on a day changes nothing the second time) and
work per customer time zone so "today" is the customer's today.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, Select, and_, exists, insert, literal, select, update
from sqlalchemy.orm import Session

from renewals.cadence.calendar import local_time
from renewals.cadence.query import zones_in_use
from renewals.cadence.rules import CadenceRules
from renewals.models import Customer, Lead, LeadStage, LeadStatus, Policy, Vehicle

__all__ = ["ListingResult", "advance_stages", "create_leads", "rebuild_renewal_list"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class ListingResult:
    created: int  # new leads for policies that entered the list
    moved: int  # open leads whose stage changed


def rebuild_renewal_list(session: Session, at: datetime, rules: CadenceRules) -> ListingResult:
    """Both daily steps in the caller's transaction."""
    created = create_leads(session, at, rules)
    moved = advance_stages(session, at, rules)
    log.info("renewal list rebuilt: %d leads created, %d moved", created, moved)
    return ListingResult(created=created, moved=moved)


def _policies_in_zone(tz: str, first: date, last: date) -> Select[tuple[int]]:
    return (
        select(Policy.id)
        .join(Vehicle, Policy.vehicle_id == Vehicle.id)
        .join(Customer, Vehicle.customer_id == Customer.id)
        .where(Customer.timezone == tz, Policy.end_date >= first, Policy.end_date <= last)
    )


def create_leads(session: Session, at: datetime, rules: CadenceRules) -> int:
    """A lead for every policy within ``list_days`` of expiry that has none; returns how many."""
    created = 0
    for tz in zones_in_use(session):
        today = local_time(at, tz, rules.default_timezone).date()
        first = today - timedelta(days=rules.grace_days_after_expiry)
        last = today + timedelta(days=rules.list_days)
        policies = (
            select(
                Policy.id,
                literal(LeadStage.LISTED.value),
                literal(LeadStatus.OPEN.value),
                literal(at, Lead.created_at.type),
                literal(at, Lead.updated_at.type),
            )
            .join(Vehicle, Policy.vehicle_id == Vehicle.id)
            .join(Customer, Vehicle.customer_id == Customer.id)
            .where(Customer.timezone == tz, Policy.end_date >= first, Policy.end_date <= last)
            .where(~exists().where(Lead.policy_id == Policy.id))
        )
        # Core execution on the session's connection: the ORM path hides the row count.
        result = session.connection().execute(
            insert(Lead).from_select(
                ["policy_id", "stage", "status", "created_at", "updated_at"], policies
            ),
            execution_options={"preserve_rowcount": True},  # INSERT's count is dropped otherwise
        )
        created += _rowcount(result)
    return created


def _stage_windows(today: date, rules: CadenceRules) -> list[tuple[LeadStage, date, date]]:
    # (stage, first end date, last end date) for "today"; mirrors decide.stage_for.
    def day(n: int) -> date:
        return today + timedelta(days=n)

    return [
        (LeadStage.LISTED, day(rules.first_call_days + 1), day(rules.list_days)),
        (LeadStage.FIRST_CALL, day(rules.quote_days + 1), day(rules.first_call_days)),
        (LeadStage.QUOTE, day(rules.step_up_days + 1), day(rules.quote_days)),
        (LeadStage.FOLLOW_UP, day(-rules.grace_days_after_expiry), day(rules.step_up_days)),
        (LeadStage.CLOSED, date.min, day(-rules.grace_days_after_expiry - 1)),
    ]


def advance_stages(session: Session, at: datetime, rules: CadenceRules) -> int:
    """Set each open lead's stage from its days to expiry; returns how many changed."""
    moved = 0
    for tz in zones_in_use(session):
        today = local_time(at, tz, rules.default_timezone).date()
        for stage, first, last in _stage_windows(today, rules):
            result = session.connection().execute(
                update(Lead)
                .where(
                    and_(Lead.status == LeadStatus.OPEN, Lead.stage != stage),
                    Lead.policy_id.in_(_policies_in_zone(tz, first, last)),
                )
                .values(stage=stage, updated_at=at)
            )
            moved += _rowcount(result)
    return moved


def _rowcount(result: CursorResult[Any]) -> int:
    # -1 when the driver does not know; both SQLite and psycopg report it for these statements.
    return max(result.rowcount, 0)
