"""The compliance report of one campaign: abandoned calls, calling hours, do-not-call, ring time.

Read-only. Every figure is recomputed from the stored attempts, so the report can be trusted
even if the dialer's own guards had a bug: that is its point. Closed days are read back from
their daily rollup (``reports.compliance_rollup``, the same SQL run once per day); the rest
(today, a day with a call still open) from the attempts (``reports.compliance_calls``).
Nothing loads every attempt or the whole do-not-call list.

The abandon rate is of live answers (see ``reports.compliance_calls``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialer.models import Campaign
from renewals.models import ContactAttempt, DoNotCall
from reports.compliance_calls import (
    CUSTOMER_HUNG_UP,
    LIVE_OUTCOMES,
    Counts,
    Offender,
    calls_of,
    counts_between,
    counts_by_day,
    do_not_call_calls,
    outside_hours_calls,
    short_ring_calls,
)
from reports.compliance_rollup import (
    DO_NOT_CALL,
    OUTSIDE_HOURS,
    SHORT_RING,
    day_runs,
    read_rolled,
    refresh_compliance_rollup,
)
from reports.errors import UnknownCampaign
from reports.periods import Period, local_midnight
from reports.tuning import tune_for_reports

__all__ = [
    "CUSTOMER_HUNG_UP",
    "LIVE_OUTCOMES",
    "ComplianceReport",
    "DayAbandons",
    "calling_window",
    "compliance_report",
    "daily_abandons",
    "refresh_compliance",
]

ROLLING = timedelta(days=30)
DEFAULT_HOURS = (time(9), time(21))


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


def calling_window(campaign: Campaign, default: tuple[time, time]) -> tuple[time, time]:
    """The campaign's own calling window, else ``default`` (the cadence rules' hours)."""
    if campaign.calling_start and campaign.calling_end:
        return time.fromisoformat(campaign.calling_start), time.fromisoformat(campaign.calling_end)
    return default


def _campaign(session: Session, campaign_id: str) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise UnknownCampaign(campaign_id)
    return campaign


def _local_day(at: datetime, zone: str) -> date:
    return at.astimezone(ZoneInfo(zone)).date()


Bounds = tuple[datetime, datetime] | None


def _span(session: Session, campaign_id: str, bounds: Bounds, zone: str) -> Period | None:
    """The local days from the campaign's first call to its last (within ``bounds``).

    The first and the last call by ``ORDER BY … LIMIT 1``, one index probe each: SQLite
    answers ``min()``/``max()`` under a range condition by reading the whole range (0.8 s for
    a month at 1M calls).
    """
    a = ContactAttempt
    low, high = bounds or (None, None)
    ends = [
        session.scalar(
            select(a.started_at).where(calls_of(campaign_id, low, high)).order_by(order).limit(1)
        )
        for order in (a.started_at.asc(), a.started_at.desc())
    ]
    if ends[0] is None or ends[1] is None:
        return None
    return Period(_local_day(ends[0], zone), _local_day(ends[1], zone), zone)


def refresh_compliance(
    session: Session,
    campaign_id: str,
    *,
    now: datetime,
    business_tz: str = "Asia/Shanghai",
    default_hours: tuple[time, time] = DEFAULT_HOURS,
    period: Period | None = None,
) -> int:
    """Roll up the closed days a report of ``period`` (None: the whole history) will read,
    with the 30 days before ``now``; returns the days rolled. Run it in its own transaction."""
    window = calling_window(_campaign(session, campaign_id), default_hours)
    first = _local_day(now - ROLLING, business_tz)
    last = _local_day(now, business_tz)
    if period is not None:
        first, last = min(first, period.first), max(last, period.last)
    else:
        history = _span(session, campaign_id, None, business_tz)
        if history is not None:
            first = min(first, history.first)
    return refresh_compliance_rollup(
        session, campaign_id, Period(first, last, business_tz), now=now, window=window
    )


def _live_runs(days: Period, done: set[date]) -> list[Period]:
    todo = []
    day = days.first
    while day <= days.last:
        if day not in done:
            todo.append(day)
        day += timedelta(days=1)
    return list(day_runs(todo, days.zone))


def _per_day(
    session: Session, campaign_id: str, days: Period, window: tuple[time, time]
) -> tuple[dict[date, Counts], dict[str, list[Offender]]]:
    """Counts per day and offending calls of ``days``: rolled where rolled, else live."""
    rolled = read_rolled(session, campaign_id, days, window)
    counts, offenders = rolled.counts, rolled.offenders
    for run in _live_runs(days, set(counts)):
        counts.update(counts_by_day(session, campaign_id, run.start, run.end, days.zone))
    for run in _live_runs(days, rolled.judged):
        offenders[OUTSIDE_HOURS] += outside_hours_calls(
            session, campaign_id, run.start, run.end, window=window, business_tz=days.zone
        )
        offenders[SHORT_RING] += short_ring_calls(session, campaign_id, run.start, run.end)
        offenders[DO_NOT_CALL] += do_not_call_calls(session, campaign_id, run.start, run.end)
    return counts, offenders


def _rolling(session: Session, campaign_id: str, now: datetime, zone: str) -> Counts:
    """The counts of the calls placed in the 30 days up to ``now`` (both ends included): whole
    rolled days from the rollup, the two partial days at the ends (and any day not rolled)
    from the attempts."""
    low, high = now - ROLLING, now + timedelta(microseconds=1)
    days = Period(_local_day(low, zone), _local_day(now, zone), zone)
    rolled = read_rolled(session, campaign_id, days, DEFAULT_HOURS).counts
    total, covered = Counts(), []
    for day in sorted(rolled):
        start, end = local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone)
        if low <= start and end <= high:
            total.add(rolled[day])
            covered.append((start, end))
    # The stretches of the window not covered by whole rolled days.
    cursor = low
    for start, end in [*covered, (high, high)]:
        if cursor < start:
            total.add(counts_between(session, campaign_id, cursor, start))
        cursor = max(cursor, end)
    return total


def daily_abandons(
    session: Session,
    campaign_id: str,
    period: Period,
    *,
    default_hours: tuple[time, time] = DEFAULT_HOURS,
) -> list[DayAbandons]:
    """Live answers and abandons of every day of ``period`` (days without calls: zeros)."""
    window = calling_window(_campaign(session, campaign_id), default_hours)
    rolled = read_rolled(session, campaign_id, period, window).counts
    for run in _live_runs(period, set(rolled)):
        rolled.update(counts_by_day(session, campaign_id, run.start, run.end, period.zone))
    out, day = [], period.first
    while day <= period.last:
        n = rolled.get(day, Counts())
        out.append(DayAbandons(day, n.live_answers, n.abandoned))
        day += timedelta(days=1)
    return out


def _opted_out(session: Session, campaign_id: str, bounds: Bounds) -> list[str]:
    low, high = bounds or (None, None)
    return list(
        session.scalars(
            select(DoNotCall.call_id)
            .join(ContactAttempt, ContactAttempt.call_id == DoNotCall.call_id)
            .where(calls_of(campaign_id, low, high))
            .order_by(DoNotCall.created_at, DoNotCall.id)
        )
    )


def compliance_report(
    session: Session,
    campaign_id: str,
    *,
    now: datetime,
    business_tz: str = "Asia/Shanghai",
    default_hours: tuple[time, time] = DEFAULT_HOURS,
    period: Period | None = None,
) -> ComplianceReport:
    """Build the report: days in the business time zone; rolling = the 30 days up to ``now``.

    With a ``period``, the days and the offending calls are those of the period (the rolling
    figures stay those of the 30 days up to ``now``); without, the campaign's whole history.
    Days rolled up by :func:`refresh_compliance` are read back, the others computed.
    """
    campaign = _campaign(session, campaign_id)
    tune_for_reports(session)
    report = ComplianceReport(campaign_id=campaign_id, abandon_cap_pct=campaign.abandon_cap_pct)
    bounds = None if period is None else (period.start, period.end)
    days = _span(session, campaign_id, bounds, business_tz)
    if days is not None:
        counts, offenders = _per_day(
            session, campaign_id, days, calling_window(campaign, default_hours)
        )
        report.days = [
            DayAbandons(day, n.live_answers, n.abandoned)
            for day, n in sorted(counts.items())
            if n.calls
        ]
        report.outside_hours = [call for _, _, call in sorted(offenders[OUTSIDE_HOURS])]
        report.short_ring = [call for _, _, call in sorted(offenders[SHORT_RING])]
        report.to_do_not_call = [call for _, _, call in sorted(offenders[DO_NOT_CALL])]
    report.opted_out = _opted_out(session, campaign_id, bounds)
    rolling = _rolling(session, campaign_id, now, business_tz)
    report.rolling_live_answers = rolling.live_answers
    report.rolling_abandoned = rolling.abandoned
    report.rolling_customer_hung_up = rolling.customer_hung_up
    return report
