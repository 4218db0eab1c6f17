"""Each shipped flow end to end on the simulated network, on SQLite and PostgreSQL: the lead's
outcome or the do-not-call list changes as the keys say; timeouts and invalid keys retry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from ivr.port import Destination
from renewals.cadence import DEFAULT_RULES, find_due_leads
from renewals.models import ContactAttempt, DncReason, DoNotCall, Lead, LeadStatus
from tests.integration.ivr.support import AT, PHONE, add_lead, run_flow


def _lead(sf: sessionmaker[Session], lead_id: int) -> Lead:
    with sf() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        return lead


def _history(sf: sessionmaker[Session], lead_id: int) -> list[tuple[str, str | None]]:
    with sf() as s:
        rows = s.scalars(select(ContactAttempt).where(ContactAttempt.lead_id == lead_id)).all()
        return [(r.channel, r.outcome) for r in rows]


def _dnc(sf: sessionmaker[Session]) -> list[tuple[str, DncReason, datetime | None]]:
    with sf() as s:
        return [(d.phone, d.reason, d.expires_at) for d in s.scalars(select(DoNotCall))]


# ------------------------------------------------------------ inbound callback


async def test_inbound_recognised_caller_hears_status_and_1_reaches_own_agent(
    session_factory: sessionmaker[Session],
) -> None:
    lead_id = add_lead(session_factory, owner_agent="1001")
    ran = await run_flow(session_factory, "inbound_callback", ["1"])
    assert ran.ctx.lead_id == lead_id
    status = ran.customer.heard[0]
    # 粤B12345 and 2026-05-20, from per-character and per-digit prompts.
    assert status[2:9] == (
        "provinces/yue", "letters/b", "digits/1", "digits/2", "digits/3", "digits/4", "digits/5",
    )  # fmt: skip
    assert status[10:] == (
        "digits/2", "digits/0", "digits/2", "digits/6", "dates/year",
        "digits/5", "dates/month", "digits/2", "digits/10", "dates/day", "xubao/ends",
    )  # fmt: skip
    assert ran.call.transferred_to == Destination(kind="agent", name="1001")  # sticky
    assert ran.stored.transfer_to == "agent:1001"
    assert _history(session_factory, lead_id) == [("ivr", "contacted")]
    assert _lead(session_factory, lead_id).last_outcome == "contacted"


async def test_inbound_1_without_own_agent_goes_to_the_campaign_queue(
    session_factory: sessionmaker[Session],
) -> None:
    add_lead(session_factory, owner_agent=None)
    ran = await run_flow(session_factory, "inbound_callback", ["1"])
    assert ran.call.transferred_to == Destination(kind="queue", name="renewal-2026q4")


async def test_inbound_2_is_a_callback_and_the_lead_is_due_at_the_asked_time(
    session_factory: sessionmaker[Session],
) -> None:
    lead_id = add_lead(session_factory)
    ran = await run_flow(session_factory, "inbound_callback", ["2", "1"])  # tomorrow morning
    asked = datetime(2026, 5, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    assert ran.result.callback_at == asked
    lead = _lead(session_factory, lead_id)
    assert (lead.last_outcome, lead.next_contact_at) == ("callback", asked)
    assert _history(session_factory, lead_id) == [("ivr", "callback")]
    with session_factory() as s:
        before = [
            d.decision.lead_id
            for d in find_due_leads(s, asked - timedelta(minutes=1), DEFAULT_RULES)
        ]
        at_time = [d.decision.lead_id for d in find_due_leads(s, asked, DEFAULT_RULES)]
    assert lead_id not in before and lead_id in at_time


async def test_inbound_9_confirmed_is_a_permanent_do_not_call(
    session_factory: sessionmaker[Session],
) -> None:
    lead_id = add_lead(session_factory)
    ran = await run_flow(session_factory, "inbound_callback", ["9", "1"])
    assert ran.result.opted_out and ran.stored.outcome == "opt_out"
    assert _dnc(session_factory) == [(PHONE, DncReason.OPT_OUT, None)]
    assert _lead(session_factory, lead_id).status == LeadStatus.DO_NOT_CALL
    assert ran.customer.heard[-1] == ("xubao/optout-done",)


async def test_inbound_9_not_confirmed_changes_nothing(
    session_factory: sessionmaker[Session],
) -> None:
    lead_id = add_lead(session_factory)
    ran = await run_flow(session_factory, "inbound_callback", ["9", "2"])
    assert not ran.result.opted_out
    assert _dnc(session_factory) == []
    assert _lead(session_factory, lead_id).status == LeadStatus.OPEN


async def test_timeout_and_invalid_key_take_the_retry_path(
    session_factory: sessionmaker[Session],
) -> None:
    add_lead(session_factory)
    ran = await run_flow(session_factory, "inbound_callback", ["silence", "5", "2", "3"])
    menus = [s for s in ran.result.steps if s.startswith("menu")]
    assert menus == ["menu:timeout", "menu:5", "menu:2"]
    heard = [h for h in ran.customer.heard if h in {("xubao/no-input",), ("xubao/invalid",)}]
    assert heard == [("xubao/no-input",), ("xubao/invalid",)]
    assert ran.result.callback_at == datetime(2026, 5, 2, 11, 0, tzinfo=UTC)  # 19:00 local


async def test_retries_exhausted_take_on_failure(session_factory: sessionmaker[Session]) -> None:
    add_lead(session_factory, owner_agent="1002")
    ran = await run_flow(session_factory, "inbound_callback", ["silence", "7", "silence"])
    assert ran.result.steps[1:7] == [
        "status", "menu:timeout", "menu:7", "menu:timeout", "menu:failed", "to_agent",
    ]  # fmt: skip
    assert ran.call.transferred_to == Destination(kind="agent", name="1002")


async def test_barge_in_key_stops_the_menu(session_factory: sessionmaker[Session]) -> None:
    add_lead(session_factory)
    ran = await run_flow(session_factory, "inbound_callback", ["1"], barge_in=True)
    assert ran.call.transferred_to is not None


async def test_unknown_caller_goes_to_the_queue_without_a_lead(
    session_factory: sessionmaker[Session],
) -> None:
    add_lead(session_factory)
    ran = await run_flow(session_factory, "inbound_callback", [], caller="13999999999")
    assert ran.ctx.lead_id is None
    assert ran.call.transferred_to == Destination(kind="queue", name="renewal-2026q4")
    assert ran.stored.lead_id is None and ran.stored.steps[0] == "who"


async def test_caller_hanging_up_mid_menu_is_stored(session_factory: sessionmaker[Session]) -> None:
    lead_id = add_lead(session_factory)
    ran = await run_flow(session_factory, "inbound_callback", ["hangup"])
    assert ran.stored.caller_hung_up and ran.stored.outcome is None
    assert _history(session_factory, lead_id) == [("ivr", "hung_up")]
    assert _lead(session_factory, lead_id).status == LeadStatus.OPEN


# ---------------------------------------------------------------- reminder


async def test_reminder_1_talks_now(session_factory: sessionmaker[Session]) -> None:
    lead_id = add_lead(session_factory)
    ran = await run_flow(session_factory, "reminder", ["1"], lead_id=lead_id)
    assert ran.customer.heard[0][0] == "xubao/reminder-intro"
    assert ran.call.transferred_to == Destination(kind="agent", name="1001")
    lead = _lead(session_factory, lead_id)
    assert (lead.attempts, lead.contacts, lead.last_outcome) == (1, 1, "contacted")


async def test_reminder_2_callback_afternoon(session_factory: sessionmaker[Session]) -> None:
    lead_id = add_lead(session_factory)
    await run_flow(session_factory, "reminder", ["2", "2"], lead_id=lead_id)
    lead = _lead(session_factory, lead_id)
    assert lead.next_contact_at == datetime(2026, 5, 2, 7, 0, tzinfo=UTC)  # 15:00 local
    assert lead.last_outcome == "callback"


async def test_reminder_9_stops_these_calls(session_factory: sessionmaker[Session]) -> None:
    lead_id = add_lead(session_factory)
    await run_flow(session_factory, "reminder", ["9", "1"], lead_id=lead_id)
    assert _dnc(session_factory) == [(PHONE, DncReason.OPT_OUT, None)]
    assert _lead(session_factory, lead_id).status == LeadStatus.DO_NOT_CALL
    assert _history(session_factory, lead_id) == [("ivr", "opt_out")]


async def test_reminder_heard_without_a_key_is_contacted_after_retries(
    session_factory: sessionmaker[Session],
) -> None:
    lead_id = add_lead(session_factory)
    ran = await run_flow(session_factory, "reminder", ["silence", "4", "silence"], lead_id=lead_id)
    assert [s for s in ran.result.steps if s.startswith("menu:")] == [
        "menu:timeout", "menu:4", "menu:timeout", "menu:failed",
    ]  # fmt: skip
    assert ran.customer.heard[-1] == ("xubao/goodbye",)
    lead = _lead(session_factory, lead_id)
    assert lead.last_outcome == "contacted"
    assert lead.next_contact_at == ran.stored.ended_at + timedelta(days=2)  # the rules' spacing
    assert ran.stored.ended_at > AT  # the menus' timeouts passed on the simulated clock


# ---------------------------------------------------------- opt-out confirmation


async def test_opt_out_confirmation_flow_alone(session_factory: sessionmaker[Session]) -> None:
    lead_id = add_lead(session_factory)
    ran = await run_flow(session_factory, "opt_out_confirm", ["silence", "1"], lead_id=lead_id)
    assert ran.result.steps[:2] == ["confirm:timeout", "confirm:1"]
    assert _lead(session_factory, lead_id).status == LeadStatus.DO_NOT_CALL


async def test_opt_out_confirmation_times_out_to_kept(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    lead_id = add_lead(session_factory)
    ran = await run_flow(session_factory, "opt_out_confirm", [], lead_id=lead_id)
    assert ran.result.steps[-2:] == ["confirm:failed", "kept"]
    assert _dnc(session_factory) == []
