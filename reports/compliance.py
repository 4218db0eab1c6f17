"""The compliance report of one campaign: abandoned calls, calling hours, do-not-call, ring time.

Read-only. Every figure is recomputed from the stored attempts, so the report can be trusted
even if the dialer's own guards had a bug: that is its point. Each figure is a SQL aggregate or
a SQL filter naming only the offending calls; nothing loads every attempt or the whole
do-not-call list.

The abandon rate is of live answers: calls answered by a person that reached an agent
(``completed``) or heard the safe message (``abandoned``). Any other outcome (no answer, busy,
machine, a customer who hung up before the hand-over…) is outside both counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from dialer.campaigns.service import MIN_RING_TIMEOUT_S
from dialer.models import Campaign
from renewals.models import ContactAttempt, Customer, DoNotCall, Lead, Policy, Vehicle
from reports.errors import UnknownCampaign
from reports.periods import Period, fixed_offset_stretches
from reports.sqltime import day_number, second_of_day, seconds_between
from reports.tuning import tune_for_reports

__all__ = [
    "CUSTOMER_HUNG_UP",
    "LIVE_OUTCOMES",
    "ComplianceReport",
    "DayAbandons",
    "compliance_report",
]

LIVE_OUTCOMES = ("completed", "abandoned")
# Answered, then ended by the customer inside the connect limit (dialer.calls.states): FTC and
# Ofcom count the calls the DIALER drops or leaves unconnected, so it is neither an abandon nor
# a live answer here (out of both sides of the rate: the rate can only come out higher).
CUSTOMER_HUNG_UP = "customer_hung_up"
_EPOCH = date(1970, 1, 1)
Row = TypeVar("Row", bound=tuple[Any, ...])


@dataclass(frozen=True, slots=True)
class DayAbandons:
    day: date
    live_answers: int
    abandoned: int

    @property
    def rate_pct(self) -> float:
        return 100.0 * self.abandoned / self.live_answers if self.live_answers else 0.0


@dataclass(slots=True)
class ComplianceReport:
    """Percentages are of live answers; the call-id lists name every offending call."""

    campaign_id: str
    abandon_cap_pct: float
    days: list[DayAbandons] = field(default_factory=list)
    rolling_live_answers: int = 0
    rolling_abandoned: int = 0
    rolling_customer_hung_up: int = 0  # shown apart, counted in neither figure above
    outside_hours: list[str] = field(default_factory=list)
    to_do_not_call: list[str] = field(default_factory=list)
    short_ring: list[str] = field(default_factory=list)
    # Calls in which the customer opted out (each put the number on the do-not-call list for
    # ever): not a fault, a record that the obligation was honoured.
    opted_out: list[str] = field(default_factory=list)

    @property
    def rolling_rate_pct(self) -> float:
        if not self.rolling_live_answers:
            return 0.0
        return 100.0 * self.rolling_abandoned / self.rolling_live_answers

    @property
    def ok(self) -> bool:
        return (
            self.rolling_rate_pct <= self.abandon_cap_pct
            and not self.outside_hours
            and not self.to_do_not_call
            and not self.short_ring
        )


def _window(campaign: Campaign, default: tuple[time, time]) -> tuple[time, time]:
    if campaign.calling_start and campaign.calling_end:
        return time.fromisoformat(campaign.calling_start), time.fromisoformat(campaign.calling_end)
    return default


Bounds = tuple[datetime, datetime] | None


def _calls(campaign_id: str, bounds: Bounds = None) -> ColumnElement[bool]:
    """The campaign's calls (placed within ``[start, end)`` when bounds are given)."""
    a = ContactAttempt
    where = and_(a.campaign_id == campaign_id, a.channel == "call")
    if bounds is not None:
        where = and_(where, a.started_at >= bounds[0], a.started_at < bounds[1])
    return where


def _live_counts() -> tuple[ColumnElement[int], ColumnElement[int]]:
    outcome = ContactAttempt.outcome
    live = func.sum(case((outcome.in_(LIVE_OUTCOMES), 1), else_=0))
    return live, func.sum(case((outcome == "abandoned", 1), else_=0))


def _with_customer(query: Select[Row]) -> Select[Row]:
    return (
        query.select_from(ContactAttempt)
        .join(Lead, Lead.id == ContactAttempt.lead_id)
        .join(Policy, Policy.id == Lead.policy_id)
        .join(Vehicle, Vehicle.id == Policy.vehicle_id)
        .join(Customer, Customer.id == Vehicle.customer_id)
    )


def _offenders(session: Session, query: Select[tuple[str, datetime]]) -> list[str]:
    return [
        call_id
        for call_id, _ in session.execute(
            query.order_by(ContactAttempt.started_at, ContactAttempt.id)
        )
    ]


def _per_day(
    session: Session, campaign_id: str, span: tuple[datetime, datetime], zone: str, now: datetime
) -> tuple[list[DayAbandons], tuple[int, int, int]]:
    """Live answers and abandons per local day; live answers, abandons and customers who hung
    up of the 30 days up to ``now``: one pass."""
    days: dict[int, list[int]] = {}
    rolling = [0, 0, 0]
    live, abandoned = _live_counts()
    recent = and_(
        ContactAttempt.started_at >= now - timedelta(days=30), ContactAttempt.started_at <= now
    )
    outcome = ContactAttempt.outcome
    recent_live = func.sum(case((and_(recent, outcome.in_(LIVE_OUTCOMES)), 1), else_=0))
    recent_abandoned = func.sum(case((and_(recent, outcome == "abandoned"), 1), else_=0))
    recent_hung_up = func.sum(case((and_(recent, outcome == CUSTOMER_HUNG_UP), 1), else_=0))
    for stretch in fixed_offset_stretches(span[0], span[1] + timedelta(microseconds=1), zone):
        day = day_number(ContactAttempt.started_at, literal_column(str(stretch.offset_s)))
        rows = session.execute(
            select(day, live, abandoned, recent_live, recent_abandoned, recent_hung_up)
            .where(
                _calls(campaign_id),
                ContactAttempt.started_at >= stretch.start,
                ContactAttempt.started_at < stretch.end,
            )
            .group_by(day)
        )
        for number, *counts in rows:
            n_live, n_abandoned, r_live, r_abandoned, r_hung_up = (int(c or 0) for c in counts)
            totals = days.setdefault(int(number), [0, 0])
            totals[0] += n_live
            totals[1] += n_abandoned
            rolling[0] += r_live
            rolling[1] += r_abandoned
            rolling[2] += r_hung_up
    per_day = [
        DayAbandons(_EPOCH + timedelta(days=n), live_n, ab_n)
        for n, (live_n, ab_n) in sorted(days.items())
    ]
    return per_day, (rolling[0], rolling[1], rolling[2])


def _to_do_not_call(session: Session, campaign_id: str, bounds: Bounds) -> list[str]:
    """Calls placed while the number was blocked: from the short do-not-call list to the calls."""
    a = ContactAttempt
    query = (
        select(a.call_id, a.started_at, a.id)
        .select_from(DoNotCall)
        .join(Customer, Customer.phone == DoNotCall.phone)
        .join(Vehicle, Vehicle.customer_id == Customer.id)
        .join(Policy, Policy.vehicle_id == Vehicle.id)
        .join(Lead, Lead.policy_id == Policy.id)
        .join(a, a.lead_id == Lead.id)
        .where(
            _calls(campaign_id, bounds),
            DoNotCall.created_at <= a.started_at,
            or_(DoNotCall.expires_at.is_(None), a.started_at < DoNotCall.expires_at),
        )
        .distinct()
    )
    return [call_id for call_id, _, _ in sorted(session.execute(query), key=lambda r: (r[1], r[2]))]


def _outside_hours(
    session: Session,
    campaign_id: str,
    span: tuple[datetime, datetime],
    window: tuple[time, time],
    business_tz: str,
    bounds: Bounds,
) -> list[str]:
    """Calls placed outside the window in the customer's own time zone, by start time."""
    zone_of = func.coalesce(func.nullif(Customer.timezone, ""), business_tz)
    # The customers' zones (a handful), not the zones of every call: no join over every call.
    zones: list[str] = list(session.scalars(select(zone_of).distinct()))
    opens = window[0].hour * 3600 + window[0].minute * 60 + window[0].second
    closes = window[1].hour * 3600 + window[1].minute * 60 + window[1].second
    found: list[tuple[datetime, int, str]] = []
    for zone in zones:
        for stretch in fixed_offset_stretches(span[0], span[1] + timedelta(microseconds=1), zone):
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
                    _calls(campaign_id, bounds),
                    ContactAttempt.started_at >= stretch.start,
                    ContactAttempt.started_at < stretch.end,
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
    return [call_id for _, _, call_id in sorted(found)]


def compliance_report(
    session: Session,
    campaign_id: str,
    *,
    now: datetime,
    business_tz: str = "Asia/Shanghai",
    default_hours: tuple[time, time] = (time(9), time(21)),
    period: Period | None = None,
) -> ComplianceReport:
    """Build the report: days in the business time zone; rolling = the 30 days up to ``now``.

    With a ``period``, the days and the offending calls are those of the period (the rolling
    figures stay those of the 30 days up to ``now``); without, the campaign's whole history.
    """
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise UnknownCampaign(campaign_id)
    tune_for_reports(session)
    report = ComplianceReport(campaign_id=campaign_id, abandon_cap_pct=campaign.abandon_cap_pct)
    a = ContactAttempt
    bounds = None if period is None else (period.start, period.end)
    first, last = session.execute(
        select(func.min(a.started_at), func.max(a.started_at)).where(_calls(campaign_id, bounds))
    ).one()
    if first is not None:
        span = (first, last)
        report.days, rolling = _per_day(session, campaign_id, span, business_tz, now)
        report.outside_hours = _outside_hours(
            session, campaign_id, span, _window(campaign, default_hours), business_tz, bounds
        )
        report.to_do_not_call = _to_do_not_call(session, campaign_id, bounds)
        report.short_ring = _offenders(
            session,
            select(a.call_id, a.started_at).where(
                _calls(campaign_id, bounds),
                a.outcome == "no_answer",
                a.ended_at.is_not(None),
                seconds_between(a.ended_at, a.started_at) < MIN_RING_TIMEOUT_S,
            ),
        )
    if period is not None or first is None:
        # The per-day pass saw only the period: the 30 days up to now are read on their own.
        _, rolling = _per_day(
            session, campaign_id, (now - timedelta(days=30), now), business_tz, now
        )
    (report.rolling_live_answers, report.rolling_abandoned, report.rolling_customer_hung_up) = (
        rolling
    )
    report.opted_out = list(
        session.scalars(
            select(DoNotCall.call_id)
            .join(a, a.call_id == DoNotCall.call_id)
            .where(a.campaign_id == campaign_id)
            .order_by(DoNotCall.created_at, DoNotCall.id)
        )
    )
    return report
