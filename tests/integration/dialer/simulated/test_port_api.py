"""The port's requests on the simulated network: idempotent originate, hangups, preview routing,
spying, live calls, bounded subscriptions, lifecycle errors."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dialer.errors import ActionFailed, BackendUnavailable, EventQueueOverflow, UnknownCall
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from dialer.telephony import (
    CallAnswered,
    CallBridged,
    CallEvent,
    CallHungUp,
    CallRinging,
    HangupParty,
    LiveCall,
    SeatStatusChanged,
    SpyMode,
    SpyStarted,
)
from tests.integration.dialer.simulated.support import (
    QUEUE,
    T0,
    drive,
    network,
    of_type,
    only,
    request,
    shape,
)

Events = list[CallEvent | SeatStatusChanged]


def test_originate_twice_with_one_call_id_dials_once(tmp_path: Path) -> None:
    async def main() -> tuple[Events, Events]:
        net = network(tmp_path, only("busy"))
        await net.start()
        first = await drive(net, [request("call-1"), request("call-1")])
        stream = net.events()
        await net.originate(request("call-1"))  # even after it ended: never a second dial
        await net.originate(request("call-2"))
        second = []
        async for event in stream:
            second.append(event)
            if isinstance(event, CallHungUp):
                break
        await net.close()
        return first, second

    first, second = run_virtual(main())
    assert shape(first, "call-1") == ["CallBusy", "CallHungUp"]
    assert shape(second, "call-1") == []
    assert shape(second, "call-2") == ["CallBusy", "CallHungUp"]


def test_agent_hangs_up_through_the_port(tmp_path: Path) -> None:
    async def main() -> tuple[Events, list[str]]:
        clock = VirtualClock(start=T0)
        net = network(tmp_path, only("human"), clock=clock)
        await net.start()
        await net.add_seat("agent-1", queue=QUEUE)

        async def hang_up_after_ten_seconds(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallBridged):
                await clock.sleep(10)
                await net.hangup(event.call_id, cause=16)

        events = await drive(net, [request("call-1")], react=hang_up_after_ten_seconds)
        ready = net.ready_seats(QUEUE)
        await net.close()
        return events, ready

    events, ready = run_virtual(main())
    bridged, hungup = of_type(events, CallBridged)[0], of_type(events, CallHungUp)[0]
    assert (hungup.party, hungup.cause) == (HangupParty.AGENT, 16)
    assert (hungup.at - bridged.at).total_seconds() == 10.0
    assert ready == ["agent-1"]


def test_dialer_hangs_up_a_ringing_call(tmp_path: Path) -> None:
    async def main() -> Events:
        net = network(tmp_path, only("no_answer"))
        await net.start()

        async def cancel_on_ringing(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallRinging):
                await net.hangup(event.call_id, cause=16)

        events = await drive(net, [request("call-1")], react=cancel_on_ringing)
        await net.close()
        return events

    events = run_virtual(main())
    assert shape(events, "call-1") == ["CallRinging", "CallHungUp"]
    assert of_type(events, CallHungUp)[0].party is HangupParty.SYSTEM


def test_preview_call_routed_to_a_paused_agent_before_it_answers(tmp_path: Path) -> None:
    async def main() -> Events:
        net = network(tmp_path, only("human"))
        await net.start()
        await net.add_seat("queue-agent", queue=QUEUE)
        await net.add_seat("preview-agent", queue=QUEUE)
        await net.pause_seat("preview-agent", queue=QUEUE, paused=True, reason="preview")

        async def route_on_ringing(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallRinging):
                with pytest.raises(ActionFailed, match="no seat"):
                    await net.route_to_agent(event.call_id, "nobody")
                await net.route_to_agent(event.call_id, "preview-agent")
            if isinstance(event, CallBridged):
                with pytest.raises(ActionFailed):
                    await net.route_to_agent(event.call_id, "queue-agent")

        events = await drive(net, [request("call-1")], react=route_on_ringing)
        await net.close()
        return events

    events = run_virtual(main())
    assert of_type(events, CallBridged)[0].agent_id == "preview-agent"


def test_answered_waiting_call_routed_to_an_agent(tmp_path: Path) -> None:
    async def main() -> Events:
        net = network(tmp_path, only("human"))
        await net.start()
        await net.add_seat("p", queue=QUEUE)
        await net.pause_seat("p", queue=QUEUE, paused=True)

        async def route_on_answer(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallAnswered):
                await net.route_to_agent(event.call_id, "p")

        events = await drive(net, [request("call-1")], react=route_on_answer)
        await net.close()
        return events

    events = run_virtual(main())
    bridged = of_type(events, CallBridged)[0]
    assert (bridged.agent_id, bridged.wait_s) == ("p", 0.0)


def test_spy_starts_on_a_bridged_call_and_stops_before_the_hangup(tmp_path: Path) -> None:
    async def main() -> Events:
        net = network(tmp_path, only("human"))
        await net.start()
        await net.add_seat("a", queue=QUEUE)

        async def spy_on_bridge(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallBridged):
                await net.spy(event.call_id, supervisor="sup-1", mode=SpyMode.WHISPER)
                await net.spy(event.call_id, supervisor="sup-1", mode=SpyMode.WHISPER)
            if isinstance(event, CallRinging):
                with pytest.raises(ActionFailed):
                    await net.spy(event.call_id, supervisor="sup-1", mode=SpyMode.LISTEN)

        events = await drive(net, [request("call-1")], react=spy_on_bridge)
        await net.close()
        return events

    events = run_virtual(main())
    assert shape(events, "call-1")[-3:] == ["SpyStarted", "SpyStopped", "CallHungUp"]
    assert of_type(events, SpyStarted)[0].mode == "whisper"


def test_live_calls_lists_the_calls_up_now(tmp_path: Path) -> None:
    async def main() -> tuple[list[LiveCall], list[LiveCall]]:
        net = network(tmp_path, only("human"))
        await net.start()
        await net.add_seat("a", queue=QUEUE)
        snapshots: list[list[LiveCall]] = []

        async def snapshot(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallRinging | CallBridged):
                snapshots.append(await net.live_calls())

        await drive(net, [request("call-1")], react=snapshot)
        after = await net.live_calls()
        await net.close()
        return [s[0] for s in snapshots], after

    during, after = run_virtual(main())
    assert [(c.call_id, c.state, c.agent_id) for c in during] == [
        ("call-1", "ringing", ""), ("call-1", "bridged", "a")
    ]  # fmt: skip
    assert during[0].ref.uniqueid == "call-1"
    assert after == []


def test_slow_subscriber_overflows_while_others_carry_on(tmp_path: Path) -> None:
    async def main() -> tuple[int, int]:
        clock = VirtualClock(start=T0)
        net = SimulatedNetwork(
            profile=only("busy"),
            clock=clock,
            seed=1,
            recordings_dir=tmp_path,
            events_maxsize=4,
        )
        await net.start()
        slow, fast = net.events(), net.events()
        fast_read = 0

        async def read_fast() -> None:
            nonlocal fast_read
            async for _event in fast:
                fast_read += 1

        reader = asyncio.create_task(read_fast(), name="fast-reader")
        for n in range(3):  # six events, one call a second
            await net.originate(request(f"c{n}"))
            await clock.sleep(1)
        slow_read = 0
        with pytest.raises(EventQueueOverflow):
            async for _event in slow:
                slow_read += 1
        await net.close()
        await reader
        return fast_read, slow_read

    assert run_virtual(main()) == (6, 4)


def test_lifecycle_errors_are_dialer_errors(tmp_path: Path) -> None:
    async def main() -> None:
        net = network(tmp_path, only("busy"))
        with pytest.raises(BackendUnavailable):
            await net.originate(request("c1"))
        await net.start()
        await net.start()  # idempotent
        with pytest.raises(UnknownCall):
            await net.hangup("nope")
        with pytest.raises(ActionFailed):
            await net.originate(request("c1", ring_timeout_s=0))
        stream = net.events()
        await net.close()
        await net.close()  # idempotent
        assert [e async for e in stream] == []
        with pytest.raises(BackendUnavailable):
            await net.originate(request("c2"))
        with pytest.raises(BackendUnavailable):
            await net.start()

    run_virtual(main())
