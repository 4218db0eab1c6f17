"""Daily compliance rollups: each closed local day's abandon counts and offending calls of one
campaign, stored once and read back by the compliance report.

The rolling 30-day abandon rate alone reads 30 days of attempts (about 330k rows at 1M calls
in 90 days) on every report, and the period's days, calls outside hours and short rings read
the period's attempts again: 3.7 s for a month at 1M calls on PostgreSQL. A day's figures
cannot change once the day is over and every call placed in it has ended: an attempt is
written when the call is placed and closed once (``dialer.runtime.attempts.close_attempt``).
So a day is rolled up when ``GRACE`` has passed after its midnight AND none of its calls is
still open; a call placed at 23:59 that ends at 00:30 keeps its day live until it ends, and
then counts on the day it was placed, exactly as the live computation counts it.

The calls outside hours depend on the calling window: a day rolled with another window than
the report's is judged again from the calls (its counts still hold) and re-rolled by the next
refresh. Calls to do-not-call numbers are rolled too: the list's entries are only ever added,
dated when made (an entry made in a call's end commits with it), so they cannot reach back into
a closed day. (A customer's number changed after the day is not seen again.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from renewals.models import ContactAttempt
from reports.compliance_calls import (
    Counts,
    Offender,
    calls_of,
    counts_by_day,
    do_not_call_calls,
    outside_hours_calls,
    short_ring_calls,
)
from reports.models import ComplianceDay, ComplianceDayCall
from reports.periods import Period, local_midnight
from reports.rollup import GRACE
from reports.tuning import take_write_lock

__all__ = [
    "DO_NOT_CALL",
    "OUTSIDE_HOURS",
    "SHORT_RING",
    "RolledCompliance",
    "day_runs",
    "read_rolled",
    "refresh_compliance_rollup",
    "window_key",
]

OUTSIDE_HOURS, SHORT_RING, DO_NOT_CALL = "outside_hours", "short_ring", "do_not_call"


def window_key(window: tuple[time, time]) -> str:
    return f"{window[0].isoformat()}-{window[1].isoformat()}"


def _days(period: Period) -> Iterator[date]:
    day = period.first
    while day <= period.last:
        yield day
        day += timedelta(days=1)


def day_runs(days: list[date], zone: str) -> Iterator[Period]:
    """Consecutive runs of the (sorted) ``days`` as periods: one query per run, not per day."""
    run: list[date] = []
    for day in days:
        if run and day != run[-1] + timedelta(days=1):
            yield Period(run[0], run[-1], zone)
            run = []
        run.append(day)
    if run:
        yield Period(run[0], run[-1], zone)


class RolledCompliance:
    """The rolled days of a period: counts per day, and the offending calls of the days judged
    with the report's window."""

    def __init__(self) -> None:
        self.counts: dict[date, Counts] = {}
        self.judged: set[date] = set()
        self.offenders: dict[str, list[Offender]] = {
            OUTSIDE_HOURS: [],
            SHORT_RING: [],
            DO_NOT_CALL: [],
        }


def read_rolled(
    session: Session, campaign_id: str, period: Period, window: tuple[time, time]
) -> RolledCompliance:
    out = RolledCompliance()
    d, key = ComplianceDay, window_key(window)
    where = (d.zone == period.zone, d.campaign_id == campaign_id)
    rows = session.execute(
        select(d.day, d.window, d.calls, d.live_answers, d.abandoned, d.customer_hung_up).where(
            *where, d.day >= period.first, d.day <= period.last
        )
    )
    for day, day_window, *counts in rows:
        out.counts[day] = Counts(*(int(c) for c in counts))
        if day_window == key:
            out.judged.add(day)
    if out.judged:
        c = ComplianceDayCall
        calls = session.execute(
            select(c.day, c.kind, c.started_at, c.attempt_id, c.call_id).where(
                c.zone == period.zone,
                c.campaign_id == campaign_id,
                c.day >= period.first,
                c.day <= period.last,
            )
        )
        for day, kind, at, attempt_id, call_id in calls:
            if day in out.judged and kind in out.offenders:
                out.offenders[kind].append((at, attempt_id, call_id))
    return out


def _days_with_open_calls(
    session: Session, campaign_id: str, start: datetime, end: datetime, zone: str
) -> set[date]:
    """Local days of ``[start, end)`` with a call placed that has not ended yet (few rows)."""
    a = ContactAttempt
    open_calls = session.scalars(
        select(a.started_at).where(calls_of(campaign_id, start, end), a.outcome.is_(None))
    )
    tz = ZoneInfo(zone)
    return {at.astimezone(tz).date() for at in open_calls}


def refresh_compliance_rollup(
    session: Session,
    campaign_id: str,
    period: Period,
    *,
    now: datetime,
    window: tuple[time, time],
) -> int:
    """Roll up every closed day of ``period`` not rolled yet (or rolled with another window);
    returns the days rolled. Each run of days is its own savepoint: a run another process
    rolled meanwhile is skipped."""
    take_write_lock(session)
    d, key = ComplianceDay, window_key(window)
    rows = session.execute(
        select(d.day, d.window).where(
            d.zone == period.zone,
            d.campaign_id == campaign_id,
            d.day >= period.first,
            d.day <= period.last,
        )
    )
    existing: dict[date, str] = {day: day_window for day, day_window in rows}
    wanted = [
        day
        for day in _days(period)
        if existing.get(day) != key
        and local_midnight(day + timedelta(days=1), period.zone) + GRACE <= now
    ]
    if not wanted:
        return 0
    span = Period(wanted[0], wanted[-1], period.zone)
    still_open = _days_with_open_calls(session, campaign_id, span.start, span.end, period.zone)
    count = 0
    for run in day_runs([day for day in wanted if day not in still_open], period.zone):
        try:
            with session.begin_nested():
                _roll_run(session, campaign_id, run, now=now, window=window, existing=existing)
            count += run.last.toordinal() - run.first.toordinal() + 1
        except IntegrityError:
            continue  # rolled by another process meanwhile: its rows are as good as ours
    return count


def _roll_run(
    session: Session,
    campaign_id: str,
    run: Period,
    *,
    now: datetime,
    window: tuple[time, time],
    existing: dict[date, str],
) -> None:
    zone, key = run.zone, window_key(window)
    again = [day for day in _days(run) if day in existing]
    if again:  # rolled with another window: its offending calls are judged anew
        d, c = ComplianceDay, ComplianceDayCall
        for table in (d, c):
            session.execute(
                delete(table).where(
                    table.zone == zone,
                    table.campaign_id == campaign_id,
                    table.day.in_(again),
                )
            )
    counts = counts_by_day(session, campaign_id, run.start, run.end, zone)
    session.execute(
        insert(ComplianceDay),
        [
            {"zone": zone, "campaign_id": campaign_id, "day": day, "window": key,
             "rolled_at": now.astimezone(UTC), "calls": n.calls, "live_answers": n.live_answers,
             "abandoned": n.abandoned, "customer_hung_up": n.customer_hung_up}
            for day in _days(run)
            for n in (counts.get(day, Counts()),)
        ],
    )  # fmt: skip
    tz = ZoneInfo(zone)
    offenders = [
        (OUTSIDE_HOURS, o)
        for o in outside_hours_calls(
            session, campaign_id, run.start, run.end, window=window, business_tz=zone
        )
    ]
    offenders += [
        (SHORT_RING, o) for o in short_ring_calls(session, campaign_id, run.start, run.end)
    ]
    offenders += [
        (DO_NOT_CALL, o) for o in do_not_call_calls(session, campaign_id, run.start, run.end)
    ]
    if offenders:
        session.execute(
            insert(ComplianceDayCall),
            [
                {"zone": zone, "campaign_id": campaign_id, "day": at.astimezone(tz).date(),
                 "kind": kind, "call_id": call_id, "started_at": at, "attempt_id": attempt_id}
                for kind, (at, attempt_id, call_id) in offenders
            ],
        )  # fmt: skip
