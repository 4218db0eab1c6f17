"""The floor on a live simulated shift: kept from the bus alone (one database read), it agrees
with the database; a listen goes through the port on a talking agent's call and is audited, a
listen on a call nobody talks on is refused and audited too."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config.bus import BusRelay, PortBridge
from config.shift import agent_bots, compose_runtime
from dialer.bus import MemoryBus
from dialer.floor import (
    AnnouncingPort,
    AuditOutcome,
    CallPhase,
    FloorService,
    NotOnCall,
    Supervision,
    SupervisorAction,
)
from dialer.models import CampaignMode
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from dialer.telephony import SpyMode
from dialer.telephony.events import SpyStarted
from renewals.cadence.rules import CadenceRules
from renewals.clock import FixedClock
from renewals.models import ContactAttempt
from tests.integration.dialer.runtime.campaign_process import START, seed_book
from tests.integration.dialer.simulated.support import only


def test_floor_follows_a_shift_and_listens_are_audited(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=40, mode=CampaignMode.PROGRESSIVE, now=START)

    async def shift() -> tuple[FloorService, list[object], dict[str, object]]:
        clock = VirtualClock(start=START)
        net = SimulatedNetwork(
            profile=only("human", talk_s={"mean": 40, "sd": 5}), clock=clock, seed=4,
            recordings_dir=tmp_path,
        )  # fmt: skip
        await net.start()
        bus = MemoryBus()
        relay = BusRelay(bus=bus, clock=clock)
        port = AnnouncingPort(port=net, post=relay.post, clock=clock)
        bridge = PortBridge(port_events=port.events, relay=relay, clock=clock)
        runtime, desk = compose_runtime(
            sessions=session_factory, port=port, clock=clock, campaign_id="q4", owner="r1",
            rules=CadenceRules(), on_seat_change=relay.post,
        )  # fmt: skip
        floor = FloorService(
            bus=bus, sessions=session_factory, clock=clock, timezone="Asia/Shanghai"
        )
        supervision = Supervision(port=port, floor=floor, sessions=session_factory, clock=clock)
        spies = bus.subscribe(SpyStarted)
        await runtime.start()
        bots = agent_bots(
            sessions=session_factory, desk=desk, clock=clock, rules=CadenceRules(), agents=2,
            wrap=only("human").wrap_s, seed=4,
        )  # fmt: skip
        bot_events = net.events()
        seen: dict[str, object] = {}
        async with asyncio.TaskGroup() as group:
            helpers = [
                group.create_task(relay.run()),
                group.create_task(bridge.run()),
                group.create_task(floor.run()),
            ]
            await bots.login_all()
            helpers.append(group.create_task(bots.run(bot_events)))
            running = group.create_task(runtime.run())
            talking = await _first_talking_seat(floor, clock)
            await supervision.spy(talking, supervisor="9001", mode=SpyMode.LISTEN)
            await clock.sleep(0.5)
            seen["spied"] = floor.state.seat_on_call(talking)
            with pytest.raises(NotOnCall) as refused:
                await supervision.spy("no-such-call", supervisor="9001", mode=SpyMode.BARGE)
            seen["refused"] = refused.value
            await clock.sleep(600)
            runtime.stop()
            await running
            await relay.drained()
            await asyncio.sleep(0)
            seen["counts"] = floor.state.counts("q4")
            for task in helpers:
                task.cancel()
        await net.close()
        await bus.close()
        return floor, [e async for e in spies], seen

    floor, spies, seen = run_virtual(shift())
    spied = seen["spied"]
    assert getattr(spied, "spied_by", None) == "9001" and getattr(spied, "spy_mode", "") == "listen"
    assert len(spies) == 1 and isinstance(spies[0], SpyStarted)
    assert "no such live call" in str(seen["refused"])
    assert floor.reloads == 1  # followed from the bus, never re-read on a timer
    with session_factory() as s:
        bridged = s.scalar(select(func.count()).where(ContactAttempt.bridged_at.is_not(None)))
        audit = s.scalars(select(SupervisorAction).order_by(SupervisorAction.id)).all()
    counts = seen["counts"]
    assert getattr(counts, "live_answers_today", None) == bridged and bridged >= 4
    assert [(a.action, a.outcome, a.supervisor) for a in audit] == [
        ("spy.listen", AuditOutcome.DONE, "9001"),
        ("spy.barge", AuditOutcome.REFUSED, "9001"),
    ]
    assert audit[0].call_id == spies[0].call_id and audit[0].agent_id in ("1001", "1002")
    assert audit[0].campaign_id == "q4" and audit[1].detail == "no such live call"
    # A floor read afresh from the database agrees with the one the bus kept.
    fresh = FloorService(
        bus=MemoryBus(), sessions=session_factory, clock=FixedClock(START + timedelta(hours=1)),
        timezone="Asia/Shanghai",
    )  # fmt: skip
    fresh.reload()
    assert fresh.state.counts("q4").live_answers_today == bridged
    assert sum(fresh.state.counts("q4").lines.values()) == 0


async def _first_talking_seat(floor: FloorService, clock: VirtualClock) -> str:
    for _ in range(600):
        await clock.sleep(1)
        talking = [s.call_id for s in floor.state.seats() if floor.state.seat_on_call(s.call_id)]
        if talking:
            call = floor.state.call(talking[0])
            assert call is not None and call.phase is CallPhase.TALKING
            assert call.number_masked.count("*") == 4
            return talking[0]
    raise AssertionError("no agent was talking within 10 minutes")
