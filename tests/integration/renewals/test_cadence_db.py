"""Due query, outcomes, do-not-call and the daily listing against SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from renewals.cadence import (
    DEFAULT_RULES,
    CadenceService,
    LeadClosed,
    Outcome,
    Reasons,
    find_due_leads,
    rebuild_renewal_list,
)
from renewals.models import DncReason, DoNotCall, Lead, LeadStage, LeadStatus
from tests import factories as f

TODAY = date(2026, 5, 1)
AT = datetime(2026, 5, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


def _days(n: int) -> date:
    return TODAY + timedelta(days=n)


def test_due_query_returns_only_due_leads_in_priority_order(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        follow_up = f.lead(end_date=_days(10))
        first_call = f.lead(end_date=_days(50))
        listed = f.lead(end_date=_days(55))
        won = f.lead(end_date=_days(20), status=LeadStatus.WON)
        waiting = f.lead(end_date=_days(20), next_contact_at=AT + timedelta(hours=1))
        night = f.lead(pol=f.policy(end_date=_days(20), car=f.vehicle(
            owner=f.customer(timezone="America/New_York"))))  # fmt: skip
        f.add(s, follow_up, first_call, listed, won, waiting, night)
        ids = (follow_up.id, first_call.id)
    with session_factory() as s:
        due = find_due_leads(s, AT, DEFAULT_RULES)
    assert [d.decision.lead_id for d in due] == list(ids)
    assert [d.decision.reason for d in due] == [Reasons.FOLLOW_UP, Reasons.FIRST_CALL]
    assert due[0].plate.startswith("沪A")


def test_due_query_limit_keeps_the_highest_priority(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        leads = [f.lead(end_date=_days(n)) for n in (40, 5, 30)]
        f.add(s, *leads)
    with session_factory() as s:
        due = find_due_leads(s, AT, DEFAULT_RULES, limit=1)
    assert [d.end_date for d in due] == [_days(5)]


def test_do_not_call_is_checked_by_phone_number_across_customers(
    session_factory: sessionmaker[Session],
) -> None:
    # The same number on two customer records (e.g. a spouse's car): one refusal blocks both.
    with session_factory.begin() as s:
        a = f.lead(
            pol=f.policy(end_date=_days(20), car=f.vehicle(owner=f.customer(phone="13900000001")))
        )
        b = f.lead(
            pol=f.policy(end_date=_days(25), car=f.vehicle(owner=f.customer(phone="13900000001")))
        )
        f.add(s, a, b)
    service = CadenceService(session_factory=session_factory, rules=DEFAULT_RULES)
    service.add_do_not_call("139-0000-0001", DncReason.REFUSED, AT)
    with session_factory() as s:
        assert find_due_leads(s, AT, DEFAULT_RULES) == []
        # Six calendar months from the refusal, to the second.
        entry = s.scalars(select(DoNotCall)).one()
        assert entry.expires_at == datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def test_add_do_not_call_is_idempotent_and_opt_out_is_permanent(
    session_factory: sessionmaker[Session],
) -> None:
    service = CadenceService(session_factory=session_factory, rules=DEFAULT_RULES)
    service.add_do_not_call("13900000002", DncReason.OPT_OUT, AT)
    service.add_do_not_call("13900000002", DncReason.OPT_OUT, AT + timedelta(days=1))
    with session_factory() as s:
        rows = s.scalars(select(DoNotCall)).all()
    assert [(r.reason, r.expires_at) for r in rows] == [(DncReason.OPT_OUT, None)]


def test_record_outcome_spaces_retries_and_counts_the_day(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        lead = f.lead(end_date=_days(20))
        f.add(s, lead)
        lead_id = lead.id
    service = CadenceService(session_factory=session_factory, rules=DEFAULT_RULES)
    service.record_outcome(lead_id, Outcome.NO_ANSWER, AT)
    service.record_outcome(lead_id, Outcome.BUSY, AT + timedelta(hours=2))
    with session_factory() as s:
        row = s.get(Lead, lead_id)
        assert row is not None
        assert (row.attempts, row.day_attempts, row.contacts) == (2, 2, 0)
        assert row.day_attempts_date == TODAY
        assert row.last_outcome == "busy"
        assert row.next_contact_at == AT + timedelta(hours=2, minutes=30)
        assert find_due_leads(s, AT + timedelta(hours=2, minutes=29), DEFAULT_RULES) == []
        assert len(find_due_leads(s, AT + timedelta(hours=2, minutes=30), DEFAULT_RULES)) == 1


def test_record_outcome_callback_sets_the_chosen_time(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        lead = f.lead(end_date=_days(20))
        f.add(s, lead)
        lead_id = lead.id
    service = CadenceService(session_factory=session_factory, rules=DEFAULT_RULES)
    chosen = AT + timedelta(hours=5, minutes=15)
    service.record_outcome(lead_id, Outcome.CALLBACK, AT, callback_at=chosen)
    with session_factory() as s:
        due = find_due_leads(s, chosen, DEFAULT_RULES)
    assert [(d.decision.lead_id, d.decision.reason) for d in due] == [
        (lead_id, Reasons.CALLBACK_DUE)
    ]


def test_refusal_closes_the_lead_and_blocks_the_number(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        lead = f.lead(end_date=_days(20))
        f.add(s, lead)
        lead_id = lead.id
    service = CadenceService(session_factory=session_factory, rules=DEFAULT_RULES)
    service.record_outcome(lead_id, Outcome.REFUSED, AT)
    with pytest.raises(LeadClosed):
        service.record_outcome(lead_id, Outcome.NO_ANSWER, AT)
    with session_factory() as s:
        row = s.get(Lead, lead_id)
        assert row is not None
        assert (row.status, row.stage, row.contacts) == (LeadStatus.LOST, LeadStage.CLOSED, 1)
        assert s.scalar(select(func.count()).select_from(DoNotCall)) == 1


def test_daily_listing_creates_leads_at_t60_and_moves_stages_idempotently(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        pols = {n: f.policy(end_date=_days(n)) for n in (61, 60, 50, 45, 15, 0, -1)}
        f.add(s, *pols.values())
    with session_factory.begin() as s:
        first = rebuild_renewal_list(s, AT, DEFAULT_RULES)
    with session_factory.begin() as s:
        again = rebuild_renewal_list(s, AT, DEFAULT_RULES)
    assert (first.created, again.created, again.moved) == (5, 0, 0)
    with session_factory() as s:
        stages = {
            (lead.policy.end_date - TODAY).days: lead.stage for lead in s.scalars(select(Lead))
        }
    assert stages == {
        60: LeadStage.LISTED,
        50: LeadStage.FIRST_CALL,
        45: LeadStage.QUOTE,
        15: LeadStage.FOLLOW_UP,
        0: LeadStage.FOLLOW_UP,
    }
    with session_factory.begin() as s:
        next_day = rebuild_renewal_list(s, AT + timedelta(days=1), DEFAULT_RULES)
    assert (next_day.created, next_day.moved) == (1, 1)  # T-61 enters the list; T-0 expires


@pytest.mark.parametrize(
    ("outcome", "status", "dnc"),
    [
        (Outcome.AGREED, LeadStatus.WON, None),
        (Outcome.WRONG_NUMBER, LeadStatus.BAD_DATA, None),
        (Outcome.OPT_OUT, LeadStatus.DO_NOT_CALL, (DncReason.OPT_OUT, None)),
    ],
)
def test_final_outcomes_close_the_lead(
    session_factory: sessionmaker[Session],
    outcome: Outcome,
    status: LeadStatus,
    dnc: tuple[DncReason, None] | None,
) -> None:
    with session_factory.begin() as s:
        lead = f.lead(end_date=_days(20))
        f.add(s, lead)
        lead_id = lead.id
    CadenceService(session_factory=session_factory, rules=DEFAULT_RULES).record_outcome(
        lead_id, outcome, AT
    )
    with session_factory() as s:
        row = s.get(Lead, lead_id)
        assert row is not None
        assert (row.status, row.stage, row.next_contact_at) == (status, LeadStage.CLOSED, None)
        entries = [(e.reason, e.expires_at) for e in s.scalars(select(DoNotCall))]
        assert entries == ([dnc] if dnc else [])
        assert find_due_leads(s, AT + timedelta(hours=3), DEFAULT_RULES) == []


def test_machine_outcome_waits_four_hours_and_the_day_counter_resets(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        lead = f.lead(end_date=_days(20), day_attempts=3, day_attempts_date=TODAY - timedelta(1))
        f.add(s, lead)
        lead_id = lead.id
    service = CadenceService(session_factory=session_factory, rules=DEFAULT_RULES)
    row = service.record_outcome(lead_id, Outcome.MACHINE, AT)
    assert row.next_contact_at == AT + timedelta(hours=4)
    assert (row.day_attempts, row.day_attempts_date) == (1, TODAY)


def test_callback_without_a_time_is_refused(session_factory: sessionmaker[Session]) -> None:
    from renewals.cadence import CallbackTimeMissing, LeadNotFound

    service = CadenceService(session_factory=session_factory, rules=DEFAULT_RULES)
    with pytest.raises(CallbackTimeMissing):
        service.record_outcome(1, Outcome.CALLBACK, AT)
    with pytest.raises(LeadNotFound):
        service.record_outcome(999, Outcome.BUSY, AT)


def test_a_refusal_blocks_the_number_for_six_calendar_months_then_lifts(
    session_factory: sessionmaker[Session],
) -> None:
    # Next year's renewal of the same customer: blocked until the refusal expires, then due.
    later = datetime(2026, 11, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
    with session_factory.begin() as s:
        owner = f.customer(phone="13900000003")
        f.add(s, f.lead(pol=f.policy(end_date=date(2026, 11, 20), car=f.vehicle(owner=owner))))
    service = CadenceService(session_factory=session_factory, rules=DEFAULT_RULES)
    service.add_do_not_call("13900000003", DncReason.REFUSED, AT)
    with session_factory() as s:
        assert find_due_leads(s, later - timedelta(seconds=1), DEFAULT_RULES) == []
        due = find_due_leads(s, later, DEFAULT_RULES)
    assert [d.decision.reason for d in due] == [Reasons.QUOTE]
