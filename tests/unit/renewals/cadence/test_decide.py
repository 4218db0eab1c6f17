"""The pure cadence rule at every stage boundary, calling-hour edge, block and cap."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from renewals.cadence import DEFAULT_RULES, DncBlock, LeadSnapshot, Outcome, Reasons, decide
from renewals.models import DncReason, LeadStage, LeadStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXPIRY = date(2026, 6, 30)


def at_local(
    day: date, hh: int = 10, mm: int = 0, ss: int = 0, tz: str = "Asia/Shanghai"
) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def snap(**changes: object) -> LeadSnapshot:
    base = LeadSnapshot(
        lead_id=1,
        status=LeadStatus.OPEN,
        stage=LeadStage.LISTED,
        end_date=EXPIRY,
        timezone="Asia/Shanghai",
        tenure_years=1,
        attempts=0,
        contacts=0,
        day_attempts=0,
        day_attempts_date=None,
        last_outcome=None,
        next_contact_at=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def t_minus(days: int) -> date:
    return EXPIRY - timedelta(days=days)


@pytest.mark.parametrize(
    ("days", "due", "reason", "stage"),
    [
        (61, False, Reasons.NOT_LISTED, None),
        (60, False, Reasons.WAITING_FIRST_CALL, LeadStage.LISTED),
        (51, False, Reasons.WAITING_FIRST_CALL, LeadStage.LISTED),
        (50, True, Reasons.FIRST_CALL, LeadStage.FIRST_CALL),
        (46, True, Reasons.FIRST_CALL, LeadStage.FIRST_CALL),
        (45, True, Reasons.QUOTE, LeadStage.QUOTE),
        (30, True, Reasons.QUOTE, LeadStage.QUOTE),
        (16, True, Reasons.QUOTE, LeadStage.QUOTE),
        (15, True, Reasons.FOLLOW_UP, LeadStage.FOLLOW_UP),
        (0, True, Reasons.FOLLOW_UP, LeadStage.FOLLOW_UP),
        (-1, False, Reasons.EXPIRED, LeadStage.CLOSED),
    ],
    ids=lambda v: f"T-{v}" if isinstance(v, int) else None,
)
def test_stage_boundaries_decide_due_reason_and_stage(
    days: int, due: bool, reason: object, stage: LeadStage | None
) -> None:
    decision = decide(snap(), at_local(t_minus(days)), DEFAULT_RULES)
    assert (decision.due, decision.reason, decision.stage, decision.days_left) == (
        due,
        reason,
        stage,
        days,
    )


def test_grace_after_expiry_keeps_a_lapsed_policy_callable() -> None:
    rules = replace(DEFAULT_RULES, grace_days_after_expiry=3)
    assert decide(snap(), at_local(t_minus(-3)), rules).due
    assert decide(snap(), at_local(t_minus(-4)), rules).reason == Reasons.EXPIRED


@pytest.mark.parametrize(
    ("hh", "mm", "ss", "due"),
    [(8, 59, 59, False), (9, 0, 0, True), (20, 59, 59, True), (21, 0, 0, False)],
)
def test_calling_hours_edges_in_shanghai(hh: int, mm: int, ss: int, due: bool) -> None:
    decision = decide(snap(), at_local(t_minus(40), hh, mm, ss), DEFAULT_RULES)
    assert decision.due is due
    if not due:
        assert decision.reason == Reasons.OUTSIDE_HOURS


@pytest.mark.parametrize(
    ("hh", "mm", "ss", "due"),
    [(8, 59, 59, False), (9, 0, 0, True), (20, 59, 59, True), (21, 0, 0, False)],
)
def test_calling_hours_follow_the_customers_own_zone_urumqi(
    hh: int, mm: int, ss: int, due: bool
) -> None:
    lead = snap(timezone="Asia/Urumqi")  # UTC+6: two hours behind Shanghai
    at = at_local(t_minus(40), hh, mm, ss, tz="Asia/Urumqi")
    assert decide(lead, at, DEFAULT_RULES).due is due


def test_shanghai_morning_is_still_night_in_urumqi() -> None:
    at = at_local(t_minus(40), 10, 30)  # 10:30 in Shanghai is 08:30 in Urumqi
    assert decide(snap(), at, DEFAULT_RULES).due
    assert decide(snap(timezone="Asia/Urumqi"), at, DEFAULT_RULES).reason == Reasons.OUTSIDE_HOURS


def test_days_left_use_the_customers_calendar_not_utc() -> None:
    # 20:30 on T-46 in New York is already T-45 in UTC; the stage follows the local date.
    lead = snap(timezone="America/New_York")
    at = at_local(t_minus(46), 20, 30, tz="America/New_York")
    assert at.date() == t_minus(45)
    decision = decide(lead, at, DEFAULT_RULES)
    assert (decision.days_left, decision.stage) == (46, LeadStage.FIRST_CALL)


def test_unknown_time_zone_falls_back_to_the_default() -> None:
    assert decide(snap(timezone="Mars/Olympus"), at_local(t_minus(40)), DEFAULT_RULES).due


@pytest.mark.parametrize(
    "status", [LeadStatus.WON, LeadStatus.LOST, LeadStatus.BAD_DATA, LeadStatus.DO_NOT_CALL]
)
def test_closed_leads_are_never_due(status: LeadStatus) -> None:
    decision = decide(snap(status=status), at_local(t_minus(40)), DEFAULT_RULES)
    assert (decision.due, decision.reason) == (False, Reasons.NOT_OPEN)


def test_closed_stage_is_never_due_even_if_status_open() -> None:
    decision = decide(snap(stage=LeadStage.CLOSED), at_local(t_minus(40)), DEFAULT_RULES)
    assert decision.reason == Reasons.NOT_OPEN


def test_refusal_block_applies_until_it_expires_then_lifts() -> None:
    at = at_local(t_minus(40))
    block = DncBlock(reason=DncReason.REFUSED, expires_at=at + timedelta(seconds=1))
    assert decide(snap(dnc=block), at, DEFAULT_RULES).reason == Reasons.DO_NOT_CALL_REFUSED
    assert decide(snap(dnc=block), at + timedelta(seconds=1), DEFAULT_RULES).due


def test_opt_out_blocks_for_ever() -> None:
    block = DncBlock(reason=DncReason.OPT_OUT, expires_at=None)
    decision = decide(snap(dnc=block), at_local(t_minus(10)), DEFAULT_RULES)
    assert (decision.due, decision.reason) == (False, Reasons.DO_NOT_CALL_OPT_OUT)


def test_retry_spacing_waits_until_next_contact_at() -> None:
    at = at_local(t_minus(40), 11)
    lead = snap(last_outcome=Outcome.NO_ANSWER.value, next_contact_at=at + timedelta(seconds=1))
    assert decide(lead, at, DEFAULT_RULES).reason == Reasons.RETRY_WAIT
    assert decide(lead, at + timedelta(seconds=1), DEFAULT_RULES).due


def test_callback_is_due_at_the_chosen_time_with_top_priority() -> None:
    at = at_local(t_minus(40), 15)
    lead = snap(last_outcome=Outcome.CALLBACK.value, next_contact_at=at)
    early = decide(lead, at - timedelta(minutes=1), DEFAULT_RULES)
    assert early.reason == Reasons.CALLBACK_LATER
    decision = decide(lead, at, DEFAULT_RULES)
    assert decision.reason == Reasons.CALLBACK_DUE
    plain = decide(snap(end_date=at.date()), at, DEFAULT_RULES)  # follow-up on expiry day
    assert decision.priority > plain.priority


def test_daily_cap_blocks_the_fourth_attempt_of_the_local_day() -> None:
    at = at_local(t_minus(40), 20)
    today = t_minus(40)
    assert decide(snap(day_attempts=2, day_attempts_date=today), at, DEFAULT_RULES).due
    capped = decide(snap(day_attempts=3, day_attempts_date=today), at, DEFAULT_RULES)
    assert capped.reason == Reasons.DAILY_CAP


def test_daily_cap_resets_on_the_next_local_day() -> None:
    yesterday = t_minus(41)
    lead = snap(day_attempts=3, day_attempts_date=yesterday)
    assert decide(lead, at_local(t_minus(40), 9), DEFAULT_RULES).due


def test_a_callback_is_honoured_after_the_daily_cap() -> None:
    at = at_local(t_minus(40), 16)
    lead = snap(
        day_attempts=3,
        day_attempts_date=t_minus(40),
        last_outcome=Outcome.CALLBACK.value,
        next_contact_at=at,
    )
    assert decide(lead, at, DEFAULT_RULES).reason == Reasons.CALLBACK_DUE


def test_priority_grows_towards_expiry() -> None:
    scores = [decide(snap(), at_local(t_minus(d)), DEFAULT_RULES).priority for d in (50, 40, 10)]
    assert scores == sorted(scores)
    assert len(set(scores)) == 3


def test_first_year_customers_come_before_long_tenure_ones_with_equal_contacts() -> None:
    at = at_local(t_minus(40))
    first_year = decide(snap(tenure_years=1, contacts=1), at, DEFAULT_RULES).priority
    two_years = decide(snap(tenure_years=2, contacts=1), at, DEFAULT_RULES).priority
    many_years = decide(snap(tenure_years=6, contacts=1), at, DEFAULT_RULES).priority
    assert first_year > two_years > many_years


def test_a_long_tenure_customer_with_enough_contacts_drops_behind() -> None:
    at = at_local(t_minus(40))
    fresh = decide(snap(tenure_years=6, contacts=0), at, DEFAULT_RULES).priority
    done = decide(snap(tenure_years=6, contacts=2), at, DEFAULT_RULES).priority
    assert fresh > done
