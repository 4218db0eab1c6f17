"""The compliance report of one campaign: abandoned calls, calling hours, do-not-call, ring time.

Read-only. Every figure is recomputed from the stored attempts, so the report can be trusted
even if the dialer's own guards had a bug: that is its point.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialer.campaigns.service import MIN_RING_TIMEOUT_S
from dialer.models import Campaign
from renewals.models import ContactAttempt, Customer, DoNotCall, Lead, Policy, Vehicle

__all__ = ["ComplianceReport", "DayAbandons", "compliance_report"]

LIVE_OUTCOMES = frozenset({"completed", "abandoned"})
# Answered, then ended by the customer inside the connect limit (dialer.calls.states): FTC and
# Ofcom count the calls the DIALER drops or leaves unconnected, so it is neither an abandon nor
# a live answer here (out of both sides of the rate: the rate can only come out higher).
CUSTOMER_HUNG_UP = "customer_hung_up"


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


def compliance_report(
    session: Session,
    campaign_id: str,
    *,
    now: datetime,
    business_tz: str = "Asia/Shanghai",
    default_hours: tuple[time, time] = (time(9), time(21)),
) -> ComplianceReport:
    """Build the report: days in the business time zone; rolling = the 30 days up to ``now``."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise LookupError(f"no campaign {campaign_id!r}")
    start, end = _window(campaign, default_hours)
    zone = ZoneInfo(business_tz)
    report = ComplianceReport(campaign_id=campaign_id, abandon_cap_pct=campaign.abandon_cap_pct)
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    rows = session.execute(
        select(ContactAttempt, Customer.phone, Customer.timezone)
        .join(Lead, Lead.id == ContactAttempt.lead_id)
        .join(Policy, Policy.id == Lead.policy_id)
        .join(Vehicle, Vehicle.id == Policy.vehicle_id)
        .join(Customer, Customer.id == Vehicle.customer_id)
        .where(ContactAttempt.campaign_id == campaign_id, ContactAttempt.channel == "call")
        .order_by(ContactAttempt.started_at)
    ).all()
    dnc = _dnc_index(session)
    for attempt, phone, customer_tz in rows:
        live = attempt.outcome in LIVE_OUTCOMES
        abandoned = attempt.outcome == "abandoned"
        counts = per_day[attempt.started_at.astimezone(zone).date()]
        counts[0] += live
        counts[1] += abandoned
        if now - timedelta(days=30) <= attempt.started_at <= now:
            report.rolling_live_answers += live
            report.rolling_abandoned += abandoned
            report.rolling_customer_hung_up += attempt.outcome == CUSTOMER_HUNG_UP
        local = attempt.started_at.astimezone(ZoneInfo(customer_tz or business_tz)).time()
        if not start <= local < end:
            report.outside_hours.append(attempt.call_id)
        if _blocked(dnc.get(phone, ()), attempt.started_at):
            report.to_do_not_call.append(attempt.call_id)
        if attempt.outcome == "no_answer" and _rang_s(attempt) < MIN_RING_TIMEOUT_S:
            report.short_ring.append(attempt.call_id)
    report.days = [DayAbandons(day, live, ab) for day, (live, ab) in sorted(per_day.items())]
    report.opted_out = list(
        session.scalars(
            select(DoNotCall.call_id)
            .join(ContactAttempt, ContactAttempt.call_id == DoNotCall.call_id)
            .where(ContactAttempt.campaign_id == campaign_id)
            .order_by(DoNotCall.created_at, DoNotCall.id)
        )
    )
    return report


def _dnc_index(session: Session) -> dict[str, list[tuple[datetime, datetime | None]]]:
    index: dict[str, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for entry in session.scalars(select(DoNotCall)):
        index[entry.phone].append((entry.created_at, entry.expires_at))
    return index


def _rang_s(attempt: ContactAttempt) -> float:
    # From the originate to the give-up: the dialer's Timeout covers the same span.
    if attempt.ended_at is None:
        return float("inf")
    return (attempt.ended_at - attempt.started_at).total_seconds()


def _blocked(entries: Sequence[tuple[datetime, datetime | None]], at: datetime) -> bool:
    return any(start <= at and (end is None or at < end) for start, end in entries)
