"""The compliance figures computed from the stored attempts: counts per local day or over a
stretch of time, and the calls that broke a rule judged from the call alone (outside calling
hours, rang too briefly). Each is a SQL aggregate or a SQL filter naming only the offending
calls; the daily rollup (``reports.compliance_rollup``) stores their results for closed days.

The abandon rate is of live answers: calls answered by a person that reached an agent
(``completed``) or heard the safe message (``abandoned``), and calls answered whose end the dialer
did not see, counted as abandoned (``dialer.abandon_counting``). Any other outcome (no answer,
busy, machine, a customer who hung up before the hand-over…) is outside both counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from dialer.abandon_counting import LIVE_OUTCOMES, counted_abandoned, counted_live_answer
from dialer.campaigns.service import MIN_RING_TIMEOUT_S
from renewals.models import ContactAttempt, Customer, DoNotCall, Lead, Policy, Vehicle
from reports.periods import fixed_offset_stretches
from reports.sqltime import day_number, second_of_day, seconds_between

__all__ = [
    "CUSTOMER_HUNG_UP",
    "LIVE_OUTCOMES",
    "Counts",
    "Offender",
    "calls_of",
    "counts_between",
    "counts_by_day",
    "do_not_call_calls",
    "outside_hours_calls",
    "short_ring_calls",
]

# Answered, then ended by the customer inside the connect limit (dialer.calls.states): FTC and
# Ofcom count the calls the DIALER drops or leaves unconnected, so it is neither an abandon nor
# a live answer here (out of both sides of the rate: the rate can only come out higher).
CUSTOMER_HUNG_UP = "customer_hung_up"
_EPOCH = date(1970, 1, 1)

Offender = tuple[datetime, int, str]  # (started at, attempt id, call id): sorts by start


@dataclass(slots=True)
class Counts:
    """Calls placed (any outcome), live answers, abandons and customers who hung up at once."""

    calls: int = 0
    live_answers: int = 0
    abandoned: int = 0
    customer_hung_up: int = 0

    def add(self, other: Counts) -> None:
        self.calls += other.calls
        self.live_answers += other.live_answers
        self.abandoned += other.abandoned
        self.customer_hung_up += other.customer_hung_up


def calls_of(
    campaign_id: str, start: datetime | None = None, end: datetime | None = None
) -> ColumnElement[bool]:
    """The campaign's calls placed within ``[start, end)`` (the (campaign, started) index);
    an absent bound is open."""
    a = ContactAttempt
    where = and_(a.campaign_id == campaign_id, a.channel == "call")
    if start is not None:
        where = and_(where, a.started_at >= start)
    if end is not None:
        where = and_(where, a.started_at < end)
    return where


def _sums() -> tuple[ColumnElement[int], ...]:
    outcome = ContactAttempt.outcome
    return (
        func.count(),
        func.sum(case((counted_live_answer(), 1), else_=0)),
        func.sum(case((counted_abandoned(), 1), else_=0)),
        func.sum(case((outcome == CUSTOMER_HUNG_UP, 1), else_=0)),
    )


def counts_between(session: Session, campaign_id: str, start: datetime, end: datetime) -> Counts:
    """The counts of the calls placed within ``[start, end)``."""
    row = session.execute(select(*_sums()).where(calls_of(campaign_id, start, end))).one()
    return Counts(*(int(v or 0) for v in row))


def counts_by_day(
    session: Session, campaign_id: str, start: datetime, end: datetime, zone: str
) -> dict[date, Counts]:
    """The counts per local day in ``zone`` of the calls placed within ``[start, end)`` (days
    without a call are left out)."""
    days: dict[date, Counts] = {}
    for stretch in fixed_offset_stretches(start, end, zone):
        day = day_number(ContactAttempt.started_at, literal_column(str(stretch.offset_s)))
        rows = session.execute(
            select(day, *_sums())
            .where(calls_of(campaign_id, stretch.start, stretch.end))
            .group_by(day)
        )
        for number, *counts in rows:
            found = Counts(*(int(c or 0) for c in counts))
            days.setdefault(_EPOCH + timedelta(days=int(number)), Counts()).add(found)
    return days


def _seconds(at: time) -> int:
    return at.hour * 3600 + at.minute * 60 + at.second


def outside_hours_calls(
    session: Session,
    campaign_id: str,
    start: datetime,
    end: datetime,
    *,
    window: tuple[time, time],
    business_tz: str,
) -> list[Offender]:
    """Calls placed within ``[start, end)`` outside the window in the customer's own time zone
    (the business zone when the customer has none), by start time."""
    zone_of = func.coalesce(func.nullif(Customer.timezone, ""), business_tz)
    # The customers' zones (a handful), not the zones of every call: no join over every call.
    zones: list[str] = list(session.scalars(select(zone_of).distinct()))
    opens, closes = _seconds(window[0]), _seconds(window[1])
    found: list[Offender] = []
    for zone in zones:
        for stretch in fixed_offset_stretches(start, end, zone):
            local = second_of_day(ContactAttempt.started_at, literal_column(str(stretch.offset_s)))
            # The calls outside the window first (few), then their customers' zones.
            outside = (
                select(
                    ContactAttempt.started_at,
                    ContactAttempt.id,
                    ContactAttempt.call_id,
                    ContactAttempt.lead_id,
                )
                .where(
                    calls_of(campaign_id, stretch.start, stretch.end),
                    or_(local < opens, local >= closes),
                )
                .cte("outside")
                .prefix_with("MATERIALIZED", dialect="postgresql")
            )
            # The zone is compared here, not in SQL: PostgreSQL misjudges how many customers
            # such a test keeps and would then walk every customer of the zone.
            query = (
                select(outside.c.started_at, outside.c.id, outside.c.call_id, zone_of)
                .join(Lead, Lead.id == outside.c.lead_id)
                .join(Policy, Policy.id == Lead.policy_id)
                .join(Vehicle, Vehicle.id == Policy.vehicle_id)
                .join(Customer, Customer.id == Vehicle.customer_id)
            )
            found.extend(
                (at, id_, call_id)
                for at, id_, call_id, customer_zone in session.execute(query)
                if customer_zone == zone
            )
    return sorted(found)


def short_ring_calls(
    session: Session, campaign_id: str, start: datetime, end: datetime
) -> list[Offender]:
    """Unanswered calls placed within ``[start, end)`` that rang less than the minimum."""
    a = ContactAttempt
    query = select(a.started_at, a.id, a.call_id).where(
        calls_of(campaign_id, start, end),
        a.outcome == "no_answer",
        a.ended_at.is_not(None),
        seconds_between(a.ended_at, a.started_at) < MIN_RING_TIMEOUT_S,
    )
    return sorted((at, id_, call_id) for at, id_, call_id in session.execute(query))


def do_not_call_calls(
    session: Session, campaign_id: str, start: datetime, end: datetime
) -> list[Offender]:
    """Calls placed within ``[start, end)`` while their number was on the do-not-call list.

    Left to the planner: over a day (the live part of a report) it walks the day's calls and
    probes the list by number; over a long run (a first rollup) it hashes. Entries are only
    ever added, dated when they are made, so a closed day's answer does not change.
    """
    a = ContactAttempt
    query = (
        select(a.started_at, a.id, a.call_id)
        .select_from(DoNotCall)
        .join(Customer, Customer.phone == DoNotCall.phone)
        .join(Vehicle, Vehicle.customer_id == Customer.id)
        .join(Policy, Policy.vehicle_id == Vehicle.id)
        .join(Lead, Lead.policy_id == Policy.id)
        .join(a, a.lead_id == Lead.id)
        .where(
            calls_of(campaign_id, start, end),
            DoNotCall.created_at <= a.started_at,
            or_(DoNotCall.expires_at.is_(None), a.started_at < DoNotCall.expires_at),
        )
        .distinct()
    )
    return sorted((at, id_, call_id) for at, id_, call_id in session.execute(query))
