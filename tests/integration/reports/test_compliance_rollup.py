"""The daily compliance rollup reads back exactly what the attempts give, day by day and over
the rolling 30 days: a call placed before midnight that ends after it, a call still open when
the day closes, a change of calling window, and the partial days at the ends of the 30 days.

Times are written in Beijing time, where the days are cut. Every report is compared with the
same report computed from the attempts alone (no rolled day) and with values worked by hand.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from dialer.campaigns import CampaignSpec, create_campaign
from dialer.models import Campaign, CampaignMode
from renewals.models import ContactAttempt, Customer, DncReason, DoNotCall, Lead, Policy, Vehicle
from reports.compliance import (
    ComplianceReport,
    compliance_report,
    daily_abandons,
    refresh_compliance,
)
from reports.models import ComplianceDay, ComplianceDayCall
from reports.periods import Period

BEIJING = ZoneInfo("Asia/Shanghai")
ZONE = "Asia/Shanghai"


def bj(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An instant in Beijing time, November 2026."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=BEIJING)


def _lead(s: Session) -> Lead:
    customer = Customer(name="李四", phone="13900000001", timezone="", created_at=bj(1, 9),
                        updated_at=bj(1, 9))  # fmt: skip
    lead = Lead(
        policy=Policy(vehicle=Vehicle(customer=customer, plate="沪B00001"),
                      end_date=date(2027, 1, 1)),
        created_at=bj(1, 9), updated_at=bj(1, 9),
    )  # fmt: skip
    s.add(lead)
    s.flush()
    return lead


def _call(s: Session, lead: Lead, call_id: str, at: datetime, outcome: str | None,
          lasts_s: float = 30) -> None:  # fmt: skip
    s.add(ContactAttempt(
        lead_id=lead.id, call_id=call_id, campaign_id="c1", started_at=at,
        ended_at=None if outcome is None else at + timedelta(seconds=lasts_s), outcome=outcome,
    ))  # fmt: skip


def _floor(sessions: sessionmaker[Session]) -> None:
    """Three days of calls (20-22 Nov) and one in the 30 days' first partial day."""
    with sessions.begin() as s:
        create_campaign(
            s, CampaignSpec(id="c1", name="续保", mode=CampaignMode.PREDICTIVE, queue="sales"),
            now=bj(1, 9),
        )  # fmt: skip
        lead = _lead(s)
        for i in range(9):
            _call(s, lead, f"d20-{i}", bj(20, 10, i), "completed")
        _call(s, lead, "d20-ab", bj(20, 11), "abandoned")
        # Placed 23:59:50 on the 20th, ended 00:20 on the 21st: the 20th's, as placed.
        _call(s, lead, "midnight", bj(20, 23, 59, 50), "completed", lasts_s=20 * 60 + 10)
        _call(s, lead, "d21-ab", bj(21, 10), "abandoned")
        _call(s, lead, "d21-ok", bj(21, 10, 5), "completed")
        _call(s, lead, "d21-hung", bj(21, 10, 6), "customer_hung_up", lasts_s=1)
        _call(s, lead, "d21-short", bj(21, 12), "no_answer", lasts_s=10)
        # The number goes on the do-not-call list at 00:00 on the 22nd: both calls after it hit.
        s.add(DoNotCall(phone="13900000001", reason=DncReason.REFUSED, created_at=bj(22, 0)))
        _call(s, lead, "d22-ok", bj(22, 9, 30), "completed")
        _call(s, lead, "d22-busy", bj(22, 13), "busy")
        # The 30 days up to 25 Nov 12:00 begin 26 Oct 12:00: 11:59 is out, 12:00 in.
        _call(s, lead, "oct-out", datetime(2026, 10, 26, 11, 59, tzinfo=BEIJING), "abandoned")
        _call(s, lead, "oct-in", datetime(2026, 10, 26, 12, 0, tzinfo=BEIJING), "abandoned")


NOW = bj(25, 12)


def _report(sessions: sessionmaker[Session], period: Period | None = None) -> ComplianceReport:
    with sessions() as s:
        return compliance_report(s, "c1", now=NOW, business_tz=ZONE, period=period)


def _refresh(sessions: sessionmaker[Session], now: datetime = NOW,
             period: Period | None = None) -> int:  # fmt: skip
    with sessions.begin() as s:
        return refresh_compliance(s, "c1", now=now, business_tz=ZONE, period=period)


def _same(a: ComplianceReport, b: ComplianceReport) -> None:
    assert a.days == b.days
    assert (a.rolling_live_answers, a.rolling_abandoned, a.rolling_customer_hung_up) == (
        b.rolling_live_answers, b.rolling_abandoned, b.rolling_customer_hung_up)  # fmt: skip
    assert (a.outside_hours, a.short_ring, a.to_do_not_call) == (
        b.outside_hours, b.short_ring, b.to_do_not_call)  # fmt: skip


def test_rolled_days_read_back_as_the_attempts_give(
    session_factory: sessionmaker[Session],
) -> None:
    _floor(session_factory)
    live = _report(session_factory)
    november = Period(date(2026, 11, 20), date(2026, 11, 22), ZONE)
    live_period = _report(session_factory, november)
    # Worked by hand: the 20th has 9 + midnight completed and 1 abandoned of 11 live answers.
    assert [(d.day, d.live_answers, d.abandoned) for d in live.days] == [
        (date(2026, 10, 26), 2, 2),
        (date(2026, 11, 20), 11, 1),
        (date(2026, 11, 21), 2, 1),
        (date(2026, 11, 22), 1, 0),
    ]
    # Rolling: oct-in, the 20th (11, 1), the 21st (2, 1), the 22nd (1, 0); oct-out left out.
    assert (live.rolling_live_answers, live.rolling_abandoned) == (15, 3)
    assert live.rolling_customer_hung_up == 1
    assert live.outside_hours == ["midnight"]  # 23:59:50 is past 21:00
    assert live.short_ring == ["d21-short"]
    assert live.to_do_not_call == ["d22-ok", "d22-busy"]
    # Every day from 26 Oct to 24 Nov is closed at 25 Nov 12:00 (the 25th is today).
    assert _refresh(session_factory) == 30
    with session_factory() as s:
        assert s.scalar(select(ComplianceDay.calls).where(
            ComplianceDay.day == date(2026, 11, 20))) == 11  # fmt: skip
    _same(_report(session_factory), live)
    _same(_report(session_factory, november), live_period)
    assert _refresh(session_factory) == 0  # rolled once


def test_a_day_with_a_call_still_open_stays_live_until_it_ends(
    session_factory: sessionmaker[Session],
) -> None:
    _floor(session_factory)
    with session_factory.begin() as s:
        lead = s.scalars(select(Lead)).one()
        _call(s, lead, "open", bj(22, 23, 55), None)  # still ringing at 00:30 on the 23rd
    at = bj(23, 0, 30)
    assert _refresh(session_factory, at) == 29  # 24 Oct .. 21 Nov; the 22nd waits
    with session_factory() as s:
        assert s.get(ComplianceDay, (ZONE, "c1", date(2026, 11, 22))) is None
    with session_factory.begin() as s:
        s.execute(update(ContactAttempt).where(ContactAttempt.call_id == "open").values(
            outcome="abandoned", ended_at=bj(23, 0, 40)))  # fmt: skip
    assert _refresh(session_factory, at) == 1
    rolled = _report(session_factory)
    with session_factory.begin() as s:
        s.execute(delete(ComplianceDayCall))
        s.execute(delete(ComplianceDay))
    live = _report(session_factory)
    _same(rolled, live)
    assert (date(2026, 11, 22), 2, 1) in [(d.day, d.live_answers, d.abandoned) for d in live.days]


def test_a_new_calling_window_judges_the_rolled_days_again(
    session_factory: sessionmaker[Session],
) -> None:
    _floor(session_factory)
    assert _refresh(session_factory) == 30
    with session_factory.begin() as s:
        s.execute(update(Campaign).where(Campaign.id == "c1").values(
            calling_start="10:00", calling_end="20:00"))  # fmt: skip
    live_window = _report(session_factory)
    # 09:30 on the 22nd is now outside too; the counts are those rolled.
    assert live_window.outside_hours == ["midnight", "d22-ok"]
    assert _refresh(session_factory) == 30  # judged again with the new window
    _same(_report(session_factory), live_window)


def test_the_abandon_trend_has_every_day(session_factory: sessionmaker[Session]) -> None:
    _floor(session_factory)
    week = Period(date(2026, 11, 19), date(2026, 11, 23), ZONE)
    with session_factory() as s:
        live = daily_abandons(s, "c1", week)
    _refresh(session_factory)
    with session_factory() as s:
        rolled = daily_abandons(s, "c1", week)
    assert live == rolled
    assert [(d.day.day, d.live_answers, d.abandoned) for d in rolled] == [
        (19, 0, 0), (20, 11, 1), (21, 2, 1), (22, 1, 0), (23, 0, 0)]  # fmt: skip
