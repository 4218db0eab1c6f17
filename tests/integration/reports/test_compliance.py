"""The compliance report recomputes every rule from stored attempts and names offending calls."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from dialer.campaigns import CampaignSpec, create_campaign
from dialer.models import CampaignMode
from dialer.runtime.stats import rolling_abandons
from renewals.models import ContactAttempt, Customer, DncReason, DoNotCall, Lead, Policy, Vehicle
from reports.compliance import compliance_report, refresh_compliance
from reports.periods import Period

# 2026-11-26 10:00 Asia/Shanghai
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def _lead(s: Session, phone: str, tz: str = "Asia/Shanghai") -> Lead:
    customer = Customer(name="张三", phone=phone, timezone=tz, created_at=NOW, updated_at=NOW)
    lead = Lead(
        policy=Policy(
            vehicle=Vehicle(customer=customer, plate=f"沪A{phone[-5:]}"), end_date=date(2027, 1, 1)
        ),
        created_at=NOW,
        updated_at=NOW,
    )
    s.add(lead)
    s.flush()
    return lead


def _attempt(
    s: Session, lead: Lead, call_id: str, at: datetime, outcome: str, rang_s: float = 30
) -> None:
    s.add(
        ContactAttempt(
            lead_id=lead.id,
            call_id=call_id,
            campaign_id="c1",
            started_at=at,
            ended_at=at + timedelta(seconds=rang_s),
            outcome=outcome,
        )
    )


def test_a_clean_campaign_passes(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        create_campaign(
            s,
            CampaignSpec(id="c1", name="续保", mode=CampaignMode.PREDICTIVE, queue="sales"),
            now=NOW,
        )
        lead = _lead(s, "13800000001")
        for i in range(40):
            _attempt(s, lead, f"ok{i}", NOW - timedelta(minutes=i), "completed")
        _attempt(s, lead, "ab1", NOW - timedelta(minutes=50), "abandoned")
    with session_factory() as s:
        report = compliance_report(s, "c1", now=NOW)
    assert report.rolling_live_answers == 41 and report.rolling_abandoned == 1
    assert round(report.rolling_rate_pct, 2) == 2.44
    assert report.ok


def test_each_breach_is_named_by_call(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        create_campaign(
            s,
            CampaignSpec(id="c1", name="续保", mode=CampaignMode.PREDICTIVE, queue="sales"),
            now=NOW,
        )
        shanghai = _lead(s, "13800000001")
        urumqi = _lead(s, "13800000002", tz="Asia/Urumqi")  # two hours behind Beijing time
        blocked = _lead(s, "13800000003")
        s.add(
            DoNotCall(
                phone="13800000003", reason=DncReason.OPT_OUT, created_at=NOW - timedelta(days=1)
            )
        )
        # 20:59:59 Shanghai is inside; 21:00:00 is not.
        _attempt(
            s, shanghai, "late-ok", datetime(2026, 11, 25, 12, 59, 59, tzinfo=UTC), "completed"
        )
        _attempt(s, shanghai, "late", datetime(2026, 11, 25, 13, 0, tzinfo=UTC), "completed")
        # 09:30 in Shanghai is 07:30 in Urumqi: too early for that customer.
        _attempt(s, urumqi, "early", datetime(2026, 11, 26, 1, 30, tzinfo=UTC), "no_answer")
        _attempt(s, blocked, "dnc", NOW - timedelta(hours=1), "completed")
        _attempt(s, shanghai, "short", NOW - timedelta(hours=1), "no_answer", rang_s=14)
        _attempt(s, shanghai, "ab", NOW - timedelta(hours=1), "abandoned")
    with session_factory() as s:
        report = compliance_report(s, "c1", now=NOW)
    assert report.outside_hours == ["late", "early"]
    assert report.to_do_not_call == ["dnc"]
    assert report.short_ring == ["short"]
    assert report.rolling_abandoned == 1 and report.rolling_live_answers == 4
    assert not report.ok
    assert [(d.day, d.live_answers, d.abandoned) for d in report.days] == [
        (date(2026, 11, 25), 2, 0),
        (date(2026, 11, 26), 2, 1),
    ]
    with session_factory() as s:
        one_day = Period(date(2026, 11, 26), date(2026, 11, 26), "Asia/Shanghai")
        day = compliance_report(s, "c1", now=NOW, period=one_day)
    assert [(d.day, d.live_answers, d.abandoned) for d in day.days] == [(date(2026, 11, 26), 2, 1)]
    assert (day.outside_hours, day.to_do_not_call, day.short_ring) == (
        ["early"],
        ["dnc"],
        ["short"],
    )
    assert (day.rolling_live_answers, day.rolling_abandoned) == (4, 1)  # still the 30 days


def test_days_cut_at_beijing_midnight_and_other_outcomes_stay_out(
    session_factory: sessionmaker[Session],
) -> None:
    """16:00:00 UTC is Beijing's midnight. An outcome other than completed/abandoned (here the
    customer who hung up before the hand-over) is in neither count of the abandon rate."""
    midnight = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
    with session_factory.begin() as s:
        create_campaign(
            s,
            CampaignSpec(id="c1", name="续保", mode=CampaignMode.PREDICTIVE, queue="sales"),
            now=NOW,
        )
        lead = _lead(s, "13800000001")
        _attempt(s, lead, "before", midnight - timedelta(microseconds=1), "abandoned")
        _attempt(s, lead, "at", midnight, "completed")
        _attempt(s, lead, "early", midnight + timedelta(hours=2), "customer_hung_up")
        _attempt(s, lead, "machine", midnight + timedelta(hours=3), "machine")
    with session_factory() as s:
        report = compliance_report(s, "c1", now=NOW)
    assert [(d.day, d.live_answers, d.abandoned) for d in report.days] == [
        (date(2026, 11, 25), 1, 1),
        (date(2026, 11, 26), 1, 0),
    ]
    assert (report.rolling_live_answers, report.rolling_abandoned) == (2, 1)
    assert report.rolling_customer_hung_up == 1
    # 00:00 and 02:00 in Beijing are outside 09:00-21:00; 23:59:59.999999 the day before too.
    assert report.outside_hours == ["before", "at", "early", "machine"]


def test_customer_hung_up_is_out_of_the_abandon_rate_item7(
    session_factory: sessionmaker[Session],
) -> None:
    # Issue 9 item 7: 4 customers who hung up at once made a campaign "fail" at 4/15.
    with session_factory.begin() as s:
        create_campaign(
            s,
            CampaignSpec(id="c1", name="续保", mode=CampaignMode.PROGRESSIVE, queue="sales"),
            now=NOW,
        )
        lead = _lead(s, "13800000001")
        for i in range(11):
            _attempt(s, lead, f"ok{i}", NOW - timedelta(minutes=i), "completed")
        for i in range(4):
            _attempt(s, lead, f"gone{i}", NOW - timedelta(minutes=20 + i), "customer_hung_up", 1)
    with session_factory() as s:
        report = compliance_report(s, "c1", now=NOW)
    assert (report.rolling_live_answers, report.rolling_abandoned) == (11, 0)
    assert report.rolling_customer_hung_up == 4
    assert report.rolling_rate_pct == 0.0 and report.ok


def test_an_answered_call_whose_end_was_unseen_counts_as_abandoned(
    session_factory: sessionmaker[Session],
) -> None:
    """A call answered, never bridged and closed ``interrupted`` (its end unseen during an
    outage) may have been an abandon: it counts against the cap, in both figures, in the daily
    rollup, the rolling 30 days and the runtime's own reading alike. Unseen before an answer,
    or after a bridge, it stays out."""
    with session_factory.begin() as s:
        create_campaign(
            s,
            CampaignSpec(id="c1", name="续保", mode=CampaignMode.PREDICTIVE, queue="sales"),
            now=NOW,
        )
        lead = _lead(s, "13800000001")
        day = NOW - timedelta(days=2)  # a closed day, rolled up below
        for i in range(30):
            _attempt(s, lead, f"ok{i}", day + timedelta(minutes=i), "completed")
        _attempt(s, lead, "ab", day + timedelta(minutes=40), "abandoned")
        unseen = [
            ("answered", day + timedelta(minutes=41), True, False),
            ("ringing", day + timedelta(minutes=42), False, False),
            ("talked", day + timedelta(minutes=43), True, True),
        ]
        for call_id, at, answered, bridged in unseen:
            s.add(
                ContactAttempt(
                    lead_id=lead.id, call_id=call_id, campaign_id="c1", started_at=at,
                    answered_at=at + timedelta(seconds=8) if answered else None,
                    bridged_at=at + timedelta(seconds=9) if bridged else None,
                    ended_at=at + timedelta(seconds=60), outcome="interrupted",
                )
            )  # fmt: skip
    with session_factory() as s:
        live = compliance_report(s, "c1", now=NOW)
        runtime = rolling_abandons(s, "c1", now=NOW)
    with session_factory.begin() as s:
        assert refresh_compliance(s, "c1", now=NOW)  # the day rolled up
    with session_factory() as s:
        rolled = compliance_report(s, "c1", now=NOW)
    for report in (live, rolled):
        assert (report.rolling_live_answers, report.rolling_abandoned) == (32, 2)
        assert [(d.live_answers, d.abandoned) for d in report.days if d.live_answers] == [(32, 2)]
        assert round(report.rolling_rate_pct, 2) == 6.25 and not report.ok
    assert (runtime.live_answers, runtime.abandoned) == (32, 2)
