"""Daily seat rollups: each closed local day's seat figures summed once, read back by the reports.

The seat times come from a window pass over every seat event of the period, which grows with
the events (about 400k a month at 200 agents). A day's figures cannot change once the day is
over: seat events, quotes and dispositions are stored at the instant they happen. (Calls
answered are not rolled up: an attempt's answer is stored when the call ends, maybe after
midnight, and the distinct leads contacted do not add up day by day.) So a day is rolled up once
``GRACE`` has passed after its midnight (time for the last transactions to commit), and the
reports add the rolled days to a live computation of the rest (today, usually).

A change of team dated in the past makes the days from then on wrong: ``forget_from`` deletes
them (``reports.teams.assign_team`` calls it), and the next refresh rolls them again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dialer.models import SeatState
from reports.models import RolledDay, SeatDayTotal
from reports.periods import Period, local_midnight
from reports.seat_calls import Key, Outcomes, outcome_counts
from reports.seat_times import StateSeconds, seat_state_seconds
from reports.tuning import take_write_lock

__all__ = [
    "GRACE",
    "forget_from",
    "live_spans",
    "refresh_rollup",
    "rolled_days",
    "rolled_outcomes",
    "rolled_seconds",
]

GRACE = timedelta(minutes=10)


def _days(period: Period) -> Iterator[date]:
    day = period.first
    while day <= period.last:
        yield day
        day += timedelta(days=1)


def rolled_days(session: Session, period: Period) -> set[date]:
    return set(
        session.scalars(
            select(RolledDay.day).where(
                RolledDay.zone == period.zone,
                RolledDay.day >= period.first,
                RolledDay.day <= period.last,
            )
        )
    )


def refresh_rollup(session: Session, period: Period, *, now: datetime) -> int:
    """Roll up every closed day of ``period`` not rolled yet; returns the days rolled.

    Each day is its own savepoint: a day another process rolled meanwhile is skipped.
    """
    take_write_lock(session)
    done = rolled_days(session, period)
    count = 0
    for day in _days(period):
        end = local_midnight(day + timedelta(days=1), period.zone)
        if day in done or end + GRACE > now:
            continue
        try:
            with session.begin_nested():
                _roll_day(session, Period(day, day, period.zone), now=now)
            count += 1
        except IntegrityError:
            if session.get(RolledDay, (period.zone, day)) is None:
                raise  # not another process's rollup of that day: a real error
            continue
    return count


def _roll_day(session: Session, day: Period, *, now: datetime) -> None:
    session.add(RolledDay(zone=day.zone, day=day.first, rolled_at=now.astimezone(UTC)))
    session.flush()  # claims the day first: a concurrent refresh fails here, not half-way
    rows = [
        {"zone": day.zone, "day": day.first, "agent_id": p.agent, "team": p.team,
         "state": p.state.value, "reason": p.reason, "seconds": p.seconds,
         "offered": p.offered, "quotes": 0, "wins": 0, "premium_cents": 0, "gifts": 0}
        for p in seat_state_seconds(session, start=day.start, end=day.end, now=now)
    ]  # fmt: skip
    rows += [
        {"zone": day.zone, "day": day.first, "agent_id": agent, "team": team, "state": "",
         "reason": "", "seconds": 0.0, "offered": 0, "quotes": o.quotes, "wins": o.wins,
         "premium_cents": o.premium_written_cents, "gifts": o.gifts}
        for (agent, team), o in outcome_counts(session, start=day.start, end=day.end).items()
    ]  # fmt: skip
    if rows:
        session.execute(insert(SeatDayTotal), rows)


def forget_from(session: Session, since: datetime | None) -> None:
    """Delete the rollups of every day that may hold ``since`` or come after it (all: None)."""
    if since is None:
        session.execute(delete(SeatDayTotal))
        session.execute(delete(RolledDay))
        return
    # The day before too: ``since`` falls on that date in zones west of UTC.
    first = since.astimezone(UTC).date() - timedelta(days=1)
    session.execute(delete(SeatDayTotal).where(SeatDayTotal.day >= first))
    session.execute(delete(RolledDay).where(RolledDay.day >= first))


def _rolled_where(period: Period, team: str | None) -> list[object]:
    t = SeatDayTotal
    where: list[object] = [t.zone == period.zone, t.day >= period.first, t.day <= period.last]
    if team is not None:
        where.append(t.team == team)
    return where


def rolled_seconds(session: Session, period: Period, team: str | None) -> list[StateSeconds]:
    """The rolled days' seconds and offers per (agent, team, state, reason)."""
    t = SeatDayTotal
    query = (
        select(t.agent_id, t.team, t.state, t.reason, func.sum(t.seconds), func.sum(t.offered))
        .where(*_rolled_where(period, team), t.state != "")  # type: ignore[arg-type]
        .group_by(t.agent_id, t.team, t.state, t.reason)
    )
    return [
        StateSeconds(agent, name, SeatState(state), why, float(secs or 0), int(n or 0))
        for agent, name, state, why, secs, n in session.execute(query)
    ]


def rolled_outcomes(session: Session, period: Period, team: str | None) -> dict[Key, Outcomes]:
    """The rolled days' quotes, wins, premium and gifts per (agent, team)."""
    t = SeatDayTotal
    query = (
        select(
            t.agent_id,
            t.team,
            func.sum(t.quotes),
            func.sum(t.wins),
            func.sum(t.premium_cents),
            func.sum(t.gifts),
        )
        .where(*_rolled_where(period, team), t.state == "")  # type: ignore[arg-type]
        .group_by(t.agent_id, t.team)
    )
    return {
        (agent, name): Outcomes(int(q or 0), int(w or 0), int(p or 0), int(g or 0))
        for agent, name, q, w, p, g in session.execute(query)
    }


def live_spans(period: Period, rolled: set[date]) -> Iterator[Period]:
    """The runs of days of ``period`` that are not rolled up, to be computed live."""
    run: list[date] = []
    for day in _days(period):
        if day in rolled:
            if run:
                yield Period(run[0], run[-1], period.zone)
                run = []
        else:
            run.append(day)
    if run:
        yield Period(run[0], run[-1], period.zone)
