"""The runtime process's wiring: every port event and seat change reaches the bus, in order.

A campaign on the simulated network (virtual time) with agent bots, composed as
``xubao dialer run`` composes it: the seat desk posts to the relay, the port bridge forwards
the network's events, and a subscriber of the bus sees the agents' calls and seats.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from config.bus import BusRelay, PortBridge
from config.shift import agent_bots, compose_runtime
from dialer.bus import MemoryBus
from dialer.models import CampaignMode, SeatState
from dialer.seats.events import SeatChanged
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from dialer.telephony.events import CallBridged, CallHungUp
from renewals.cadence.rules import CadenceRules
from tests.integration.dialer.runtime.campaign_process import START, seed_book
from tests.integration.dialer.simulated.support import only


def test_calls_and_seat_changes_of_a_shift_are_published(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=30, mode=CampaignMode.PROGRESSIVE, now=START)

    async def shift() -> list[object]:
        clock = VirtualClock(start=START)
        net = SimulatedNetwork(
            profile=only("human", talk_s={"mean": 30, "sd": 5}), clock=clock, seed=2,
            recordings_dir=tmp_path,
        )  # fmt: skip
        await net.start()
        bus = MemoryBus()
        relay = BusRelay(bus=bus, clock=clock)
        bridge = PortBridge(port_events=net.events, relay=relay, clock=clock)
        runtime, desk = compose_runtime(
            sessions=session_factory, port=net, clock=clock, campaign_id="q4", owner="r1",
            rules=CadenceRules(), on_seat_change=relay.post,
        )  # fmt: skip
        seen = bus.subscribe(CallBridged, CallHungUp, SeatChanged)
        await runtime.start()
        bots = agent_bots(
            sessions=session_factory, desk=desk, clock=clock, rules=CadenceRules(), agents=2,
            wrap=only("human").wrap_s, seed=2,
        )  # fmt: skip
        bot_events = net.events()
        await bots.login_all()
        async with asyncio.TaskGroup() as group:
            tasks = [
                group.create_task(relay.run()),
                group.create_task(bridge.run()),
                group.create_task(bots.run(bot_events)),
            ]
            running = group.create_task(runtime.run())
            await clock.sleep(600)
            runtime.stop()
            await running
            await relay.drained()
            for task in tasks:
                task.cancel()
        await net.close()
        await bus.close()
        return [event async for event in seen]

    events = run_virtual(shift())
    seats = [e for e in events if isinstance(e, SeatChanged)]
    bridged = [e for e in events if isinstance(e, CallBridged)]
    assert {(s.agent_id, s.state) for s in seats[:2]} == {
        ("1001", SeatState.READY),
        ("1002", SeatState.READY),
    }
    assert len(bridged) >= 4 and {b.agent_id for b in bridged} == {"1001", "1002"}
    for call in bridged:
        # The seat shows the call after the network bridged it, and the call ends after that.
        at = events.index(call)
        on_call = SeatChanged(
            agent_id=call.agent_id, campaign_id="q4", state=SeatState.ON_CALL, at=call.at,
            call_id=call.call_id,
        )  # fmt: skip
        later = events[at:]
        assert any(_same_change(e, on_call) for e in later), call
        assert any(isinstance(e, CallHungUp) and e.call_id == call.call_id for e in later)


def _same_change(event: object, expected: SeatChanged) -> bool:
    return isinstance(event, SeatChanged) and (
        event.agent_id,
        event.state,
        event.call_id,
        event.campaign_id,
    ) == (expected.agent_id, expected.state, expected.call_id, expected.campaign_id)
