"""Opt-outs (issue 9, item 4, a legal obligation): a customer who presses 9 during the safe
message is put on the do-not-call list at once and for ever, the lead is closed as opted out
and never due again, and the compliance report counts it.

On the simulated network with the event order of the dialplan (fixture 07): the call is
answered, no agent is free, ``CallAbandoned``, the safe message, ``CustomerOptedOut`` from the
``XubaoOptOut`` UserEvent, then the hangup.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config.shift import compose_runtime
from dialer.models import CampaignMode
from dialer.runtime.optouts import OPT_OUT_SOURCE
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from dialer.telephony import CallAbandoned, CallHungUp, CustomerOptedOut
from renewals.cadence.query import LeadFilter, find_due_leads
from renewals.cadence.rules import CadenceRules
from renewals.models import (
    ContactAttempt,
    Customer,
    DncReason,
    DoNotCall,
    Lead,
    LeadStage,
    LeadStatus,
    Policy,
    Vehicle,
)
from reports.compliance import compliance_report
from tests.integration.dialer.runtime.campaign_process import START, seed_book
from tests.integration.dialer.simulated.support import drive, network, only, request, shape


def test_the_simulated_customer_presses_9_during_the_safe_message(tmp_path: Path) -> None:
    async def main() -> list[str]:
        net = network(tmp_path, only("human", opt_out_share=1.0))
        await net.start()  # no seat at all: every answered customer hears the safe message
        events = await drive(net, [request("c-1")])
        await net.close()
        return shape(events, "c-1")

    names = run_virtual(main())
    i = names.index(CallAbandoned.__name__)
    assert names[i:] == [CallAbandoned.__name__, CustomerOptedOut.__name__, CallHungUp.__name__]


def test_an_opt_out_blocks_the_number_for_ever_and_closes_the_lead(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=3, mode=CampaignMode.PROGRESSIVE, now=START, zone="Asia/Shanghai")
    rules = CadenceRules()

    async def main() -> str:
        clock = VirtualClock(start=START)
        net = SimulatedNetwork(
            profile=only("human", opt_out_share=1.0), clock=clock, seed=1, recordings_dir=tmp_path
        )
        await net.start()
        runtime, desk = compose_runtime(
            sessions=session_factory, port=net, clock=clock, campaign_id="q4", owner="r1",
            rules=rules,
        )  # fmt: skip
        await runtime.start()
        await desk.login("1001")
        assert await runtime.tick() == 1  # progressive: one call for the one ready agent
        await desk.pause("1001", reason="break")  # nobody will take the answer
        run = asyncio.create_task(runtime.run())
        await clock.sleep(60)
        runtime.stop()
        await run
        await net.close()
        with session_factory() as s:
            return s.scalars(select(ContactAttempt.call_id)).one()

    call_id = run_virtual(main())
    with session_factory() as s:
        attempt = s.scalars(select(ContactAttempt)).one()
        lead = s.get(Lead, attempt.lead_id)
        assert lead is not None
        phone = s.scalars(
            select(Customer.phone)
            .join(Vehicle, Vehicle.customer_id == Customer.id)
            .join(Policy, Policy.vehicle_id == Vehicle.id)
            .where(Policy.id == lead.policy_id)
        ).one()
        (entry,) = s.scalars(select(DoNotCall)).all()
        assert (entry.phone, entry.reason, entry.expires_at) == (phone, DncReason.OPT_OUT, None)
        assert (entry.source, entry.call_id) == (OPT_OUT_SOURCE, call_id)
        assert attempt.answered_at is not None and attempt.ended_at is not None
        assert attempt.answered_at < entry.created_at < attempt.ended_at  # at once, mid-call
        assert attempt.outcome == "abandoned"  # the call itself still counts as abandoned
        assert (lead.status, lead.stage, lead.next_contact_at) == (
            LeadStatus.DO_NOT_CALL, LeadStage.CLOSED, None,
        )  # fmt: skip
        assert lead.attempts == 1
        for later in (timedelta(minutes=30), timedelta(days=1), timedelta(days=20)):
            due = find_due_leads(s, START + later, rules, where=LeadFilter())
            assert lead.id not in {d.decision.lead_id for d in due}
        report = compliance_report(s, "q4", now=START + timedelta(days=1))
    assert report.opted_out == [call_id]
    assert report.to_do_not_call == []  # the opt-out's own call was placed before it
