"""The reports bench's data, bulk-loaded into the migrated schema, reads back as generated: the
seat report's SQL agrees with the same figures worked out in Python from the generated rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from bench.reports import FIRST_DAY, ZONE, load
from bench.reports_data import generate
from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from reports.periods import Period
from reports.rollup import refresh_rollup
from reports.seats import seat_report


def _logged_in_by_agent(events: list[tuple[object, ...]], end: datetime) -> dict[str, float]:
    """Per agent: the seconds between each event and the next, unless it is a log-out."""
    by_agent: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for _id, agent, _campaign, at, state, _reason, _call in events:
        assert isinstance(agent, str) and isinstance(at, datetime) and isinstance(state, str)
        by_agent[agent].append((at, state))
    seconds: dict[str, float] = {}
    for agent, rows in by_agent.items():
        rows.sort()
        ends = [at for at, _ in rows[1:]] + [end]
        seconds[agent] = sum(
            (min(stop, end) - at).total_seconds()
            for (at, state), stop in zip(rows, ends, strict=True)
            if state != "logged_out" and at < end
        )
    return seconds


def test_three_days_read_back_as_generated(db_url: str) -> None:
    tables = generate(calls=3000, agents=4, days=3, first_day=FIRST_DAY)
    engine = create_db_engine(db_url)
    try:
        upgrade(engine)
        load(engine, tables)
        period = Period(FIRST_DAY, FIRST_DAY + timedelta(days=2), ZONE)
        now = datetime.combine(date(2026, 9, 10), datetime.min.time(), tzinfo=UTC)
        expected = _logged_in_by_agent(tables.rows["seat_events"], period.end)
        answered = sum(1 for r in tables.rows["contact_attempts"] if r[5] is not None)
        sessions = make_session_factory(engine)
        with sessions() as session:
            live = seat_report(session, period, now=now)
        with sessions.begin() as session:
            assert refresh_rollup(session, period, now=now) == 3
        with sessions() as session:
            rolled = seat_report(session, period, now=now)
        for report in (live, rolled):
            got = defaultdict(float)
            for row in report.rows:
                got[row.agent or ""] += row.logged_in_s
            assert {a: round(s) for a, s in got.items()} == {
                a: round(s) for a, s in expected.items()
            }
            assert report.totals.calls.calls_answered == answered
    finally:
        engine.dispose()
