"""The seat report against figures worked out by hand on the fixed data set (``dataset.py``).

Day 2026-12-01 in Beijing time, by hand:
  A1 (east): talk 00:00-00:10 (c1, begun the day before) and 09:10-09:20 = 1,200 s; wrap
    00:10-00:12 and 09:20-09:21 = 180 s; ready 00:12-01:00, 09:00-09:10, 09:21-23:00 =
    2,880 + 600 + 49,140 = 52,620 s; paused meal 01:00-01:30 = 1,800 s and training
    23:00-24:00 = 3,600 s (the rest of that pause is on the 2nd); logged in 59,400 s.
    One call answered that day (c2; c1 was answered on the 30th), one lead contacted (L2),
    two leads quoted (L1 at 00:05, L2), one win (L1, ¥3,500.00, a gift), AHT 1,380/1 s.
  A2 (west from that midnight): paused meeting 00:00-00:20 = 1,200 s; ready 00:20-09:50 and
    09:51-10:00 = 34,200 + 540 = 34,740 s; reserved 60 s; talk 300 s; wrap 60 s; logged in
    36,360 s. Offered c4 and c3, answered c3; one win ¥2,000.01, no gift.
  A3 (no team): ready from 14:00 to midnight = 36,000 s.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dialer.models import Seat, SeatEvent, SeatState
from reports.periods import Period
from reports.rollup import refresh_rollup
from reports.seats import SeatRow, seat_report
from reports.teams import assign_team
from tests.integration.reports import dataset
from tests.integration.reports.dataset import dec

NOW = dec(3, 0)
ZONE = "Asia/Shanghai"
DAY = Period(date(2026, 12, 1), date(2026, 12, 1), ZONE)
TWO_DAYS = Period(date(2026, 11, 30), date(2026, 12, 1), ZONE)


@pytest.fixture(params=["live", "rolled"])
def sessions(
    request: pytest.FixtureRequest, session_factory: sessionmaker[Session]
) -> sessionmaker[Session]:
    """The data set, and (``rolled``) every closed day rolled up: the figures must not change."""
    with session_factory.begin() as s:
        dataset.build(s)
    if request.param == "rolled":
        with session_factory.begin() as s:
            rolled = refresh_rollup(s, Period(date(2026, 11, 25), date(2026, 12, 2), ZONE), now=NOW)
        assert rolled == 7  # 25 Nov to 1 Dec; the 2nd closes at 00:10 on the 3rd
    return session_factory


def figures(row: SeatRow) -> dict[str, object]:
    c = row.calls
    return {
        "agent": row.agent, "team": row.team, "logged_in": round(row.logged_in_s),
        "ready": round(row.ready_s), "paused": round(row.paused_s),
        "by_reason": {k: round(v) for k, v in row.paused_by_reason_s.items()},
        "talk": round(row.talk_s), "wrap": round(row.wrap_s), "offered": c.calls_offered,
        "answered": c.calls_answered, "contacts": c.contacts, "quotes": c.quotes,
        "wins": c.wins, "premium": c.premium_written_cents, "gifts": c.gifts,
        "aht": None if row.aht_s is None else round(row.aht_s),
        "rate": row.renewal_rate, "avg": row.avg_premium_cents,
    }  # fmt: skip


A3_DAY = {
    "agent": "A3", "team": "", "logged_in": 36_000, "ready": 36_000, "paused": 0,
    "by_reason": {}, "talk": 0, "wrap": 0, "offered": 0, "answered": 0, "contacts": 0,
    "quotes": 0, "wins": 0, "premium": 0, "gifts": 0, "aht": None, "rate": None, "avg": None,
}  # fmt: skip
A1_DAY = {
    "agent": "A1", "team": "east", "logged_in": 59_400, "ready": 52_620, "paused": 5_400,
    "by_reason": {"meal": 1_800, "training": 3_600}, "talk": 1_200, "wrap": 180, "offered": 1,
    "answered": 1, "contacts": 1, "quotes": 2, "wins": 1, "premium": 350_000, "gifts": 1,
    "aht": 1_380, "rate": 1.0, "avg": 350_000,
}  # fmt: skip
A2_DAY = {
    "agent": "A2", "team": "west", "logged_in": 36_360, "ready": 34_740, "paused": 1_200,
    "by_reason": {"meeting": 1_200}, "talk": 300, "wrap": 60, "offered": 2, "answered": 1,
    "contacts": 1, "quotes": 1, "wins": 1, "premium": 200_001, "gifts": 0, "aht": 360,
    "rate": 1.0, "avg": 200_001,
}  # fmt: skip


def test_one_day_per_agent_cut_at_beijing_midnight(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        report = seat_report(s, DAY, now=NOW)
    assert [figures(r) for r in report.rows] == [A3_DAY, A1_DAY, A2_DAY]
    totals = figures(report.totals)
    assert totals == {
        "agent": None, "team": None, "logged_in": 131_760, "ready": 123_360, "paused": 6_600,
        "by_reason": {"meal": 1_800, "training": 3_600, "meeting": 1_200}, "talk": 1_500,
        "wrap": 240, "offered": 3, "answered": 2, "contacts": 2, "quotes": 3, "wins": 2,
        "premium": 550_001, "gifts": 1, "aht": 870, "rate": 1.0, "avg": 275_001,
    }  # fmt: skip


def test_two_days_split_the_agent_who_changed_teams(sessions: sessionmaker[Session]) -> None:
    """On the 30th, A1 was ready 22:00-23:50 (6,600 s) and talked 23:50-24:00 (600 s); A2 (then
    in east) was ready 22:00-22:30 and 22:41-23:00 (2,940 s), talked 600 s, wrapped 60 s and
    was paused 23:00-24:00 (3,600 s), with one call (c0, L4) and a win of ¥1,500.00 with a gift."""
    with sessions() as s:
        report = seat_report(s, TWO_DAYS, now=NOW)
    a1 = A1_DAY | {
        "logged_in": 66_600, "ready": 59_220, "talk": 1_800, "offered": 2, "answered": 2,
        "contacts": 2, "quotes": 3, "aht": 990, "rate": 0.5,
    }  # fmt: skip
    a2_east = {
        "agent": "A2", "team": "east", "logged_in": 7_200, "ready": 2_940, "paused": 3_600,
        "by_reason": {"meeting": 3_600}, "talk": 600, "wrap": 60, "offered": 1, "answered": 1,
        "contacts": 1, "quotes": 0, "wins": 1, "premium": 150_000, "gifts": 1, "aht": 660,
        "rate": 1.0, "avg": 150_000,
    }  # fmt: skip
    assert [figures(r) for r in report.rows] == [A3_DAY, a1, a2_east, A2_DAY]


def test_per_team_and_one_team(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        teams = seat_report(s, TWO_DAYS, now=NOW, by_team=True)
        east = seat_report(s, TWO_DAYS, now=NOW, team="east")
    by_team = {r.team: figures(r) for r in teams.rows}
    assert list(by_team) == ["", "east", "west"]
    assert by_team["east"] | {"by_reason": None} == {
        "agent": None, "team": "east", "logged_in": 73_800, "ready": 62_160, "paused": 9_000,
        "by_reason": None, "talk": 2_400, "wrap": 240, "offered": 3, "answered": 3,
        "contacts": 3, "quotes": 3, "wins": 2, "premium": 500_000, "gifts": 2, "aht": 880,
        "rate": 2 / 3, "avg": 250_000,
    }  # fmt: skip
    assert by_team["east"]["by_reason"] == {"meal": 1_800, "training": 3_600, "meeting": 3_600}
    assert [(r.agent, r.team) for r in east.rows] == [("A1", "east"), ("A2", "east")]
    assert figures(east.totals) | {"team": None, "by_reason": None} == by_team["east"] | {
        "team": None, "by_reason": None,
    }  # fmt: skip


def test_the_day_still_running_is_counted_up_to_now(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        dataset.build(s)
    with session_factory() as s:
        report = seat_report(s, DAY, now=dec(1, 15))
    a3 = next(r for r in report.rows if r.agent == "A3")
    assert round(a3.ready_s) == 3_600  # ready since 14:00, now is 15:00
    a1 = next(r for r in report.rows if r.agent == "A1")
    assert (
        round(a1.ready_s) == 2_880 + 600 + 20_340
    )  # the last READY runs 09:21 → 15:00 (5 h 39 min)


def test_an_empty_period_has_no_rows(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        report = seat_report(s, Period(date(2026, 10, 1), date(2026, 10, 1), "Asia/Shanghai"),
                             now=NOW)  # fmt: skip
    assert report.rows == [] and report.totals.calls.wins == 0


def test_a_change_of_team_dated_back_reaches_rolled_days(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        assign_team(s, "A3", "south", since=dec(1, 0))
    with sessions() as s:
        report = seat_report(s, DAY, now=NOW)
    assert [(r.agent, r.team) for r in report.rows] == [
        ("A1", "east"),
        ("A3", "south"),
        ("A2", "west"),
    ]
    assert figures(report.rows[1]) == A3_DAY | {"team": "south"}


def test_a_preview_call_is_offered_once(session_factory: sessionmaker[Session]) -> None:
    """Reserved for c7, then put through to c7: one offer; then c8 put through unreserved."""
    steps = [
        (dec(5, 9), SeatState.READY, None), (dec(5, 9, 1), SeatState.RESERVED, "c7"),
        (dec(5, 9, 2), SeatState.ON_CALL, "c7"), (dec(5, 9, 5), SeatState.WRAP_UP, "c7"),
        (dec(5, 9, 6), SeatState.READY, None), (dec(5, 9, 7), SeatState.ON_CALL, "c8"),
        (dec(5, 9, 9), SeatState.WRAP_UP, "c8"), (dec(5, 9, 10), SeatState.LOGGED_OUT, None),
    ]  # fmt: skip
    with session_factory.begin() as s:
        s.add(Seat(agent_id="P", state=SeatState.LOGGED_OUT, since=dec(5, 9, 10)))
        for at, state, call in steps:
            s.add(SeatEvent(agent_id="P", at=at, state=state, reason="", call_id=call))
    with session_factory() as s:
        report = seat_report(s, Period(date(2026, 12, 5), date(2026, 12, 5), ZONE), now=dec(6, 0))
    (row,) = report.rows
    assert row.calls.calls_offered == 2
    assert (round(row.talk_s), round(row.wrap_s), round(row.logged_in_s)) == (300, 120, 600)
