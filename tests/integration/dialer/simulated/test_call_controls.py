"""Call controls on the simulated network: hold, mute, transfers, and a paused recording's gap."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from dialer.errors import ActionFailed
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from dialer.simulated.audio import RATE
from dialer.telephony import (
    CallBridged,
    CallEvent,
    CallHoldChanged,
    CallMuteChanged,
    CallRinging,
    CallTransferred,
    ConsultChanged,
    RecordingPauseChanged,
    SeatStatusChanged,
    TargetKind,
    TransferTarget,
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
from tests.integration.dialer.simulated.test_recordings import read_stereo

Events = list[CallEvent | SeatStatusChanged]
Script = Callable[[SimulatedNetwork, VirtualClock, str], Awaitable[None]]
TALK = {"mean": 40, "sd": 1}


def run_call(tmp_path: Path, script: Script, *, seats: tuple[str, ...] = ("a", "b")) -> Events:
    """One answered call bridged to the first seat; ``script`` runs from the bridge on."""

    async def main() -> Events:
        clock = VirtualClock(start=T0)
        net = network(tmp_path, only("human", talk_s=TALK), clock=clock)
        await net.start()
        for seat in seats:
            await net.add_seat(seat, queue=QUEUE)
            await clock.sleep(1)  # the first seat is the longest idle: it takes the call
        tasks: list[asyncio.Task[None]] = []

        async def react(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallBridged) and not tasks:
                await net.start_recording(event.call_id, path=f"{event.call_id}.wav")
                tasks.append(asyncio.create_task(script(net, clock, event.call_id)))

        events = await drive(net, [request("call-1")], react=react)
        await asyncio.gather(*tasks)
        await net.close()
        return events

    return run_virtual(main())


def test_hold_and_mute_are_reported_in_order(tmp_path: Path) -> None:
    async def script(net: SimulatedNetwork, clock: VirtualClock, call_id: str) -> None:
        await clock.sleep(2)
        await net.hold(call_id, held=True)
        await net.hold(call_id, held=True)  # already held: nothing new
        await clock.sleep(2)
        await net.hold(call_id, held=False)
        await net.mute(call_id, muted=True)
        await net.mute(call_id, muted=False)

    events = run_call(tmp_path, script)
    assert [e.held for e in of_type(events, CallHoldChanged)] == [True, False]
    assert [e.muted for e in of_type(events, CallMuteChanged)] == [True, False]


def test_controls_refused_on_a_call_no_agent_talks_on(tmp_path: Path) -> None:
    async def main() -> None:
        net = network(tmp_path, only("human", talk_s=TALK))
        await net.start()
        await net.add_seat("a", queue=QUEUE)

        async def early(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallRinging):
                with pytest.raises(ActionFailed):
                    await net.hold(event.call_id, held=True)
                with pytest.raises(ActionFailed):
                    await net.transfer(event.call_id, TransferTarget(TargetKind.QUEUE, QUEUE))
                with pytest.raises(ActionFailed):
                    await net.pause_recording(event.call_id, paused=True)
                await net.hangup(event.call_id)

        await drive(net, [request("call-1")], react=early)
        await net.close()

    run_virtual(main())


def test_blind_transfer_to_another_agent_bridges_them(tmp_path: Path) -> None:
    async def script(net: SimulatedNetwork, clock: VirtualClock, call_id: str) -> None:
        await clock.sleep(3)
        with pytest.raises(ActionFailed):  # not to oneself
            await net.transfer(call_id, TransferTarget(TargetKind.AGENT, "a"))
        await net.transfer(call_id, TransferTarget(TargetKind.AGENT, "b"))

    events = run_call(tmp_path, script)
    (moved,) = of_type(events, CallTransferred)
    assert (moved.from_agent, moved.target, moved.attended) == ("a", "agent:b", False)
    assert [e.agent_id for e in of_type(events, CallBridged)] == ["a", "b"]
    names = shape(events, "call-1")
    moved_at = names.index("CallTransferred")
    assert names[moved_at + 1] == "CallBridged"
    assert names[-2:] == ["RecordingStopped", "CallHungUp"]
    # a is free the moment it handed over; b is busy with the customer
    after = events[events.index(of_type(events, CallBridged)[0]) :]
    statuses = [(e.agent_id, e.status) for e in of_type(after, SeatStatusChanged)]
    assert statuses[:2] == [("a", "idle"), ("b", "in_use")]


def test_transfer_to_the_queue_goes_to_the_ready_seat(tmp_path: Path) -> None:
    async def script(net: SimulatedNetwork, clock: VirtualClock, call_id: str) -> None:
        await clock.sleep(3)
        await net.pause_seat("a", queue=QUEUE, paused=True)  # as the runtime's wrap-up does
        await net.transfer(call_id, TransferTarget(TargetKind.QUEUE, QUEUE))

    events = run_call(tmp_path, script)
    assert [e.agent_id for e in of_type(events, CallBridged)] == ["a", "b"]


def test_attended_transfer_consults_then_completes_or_cancels(tmp_path: Path) -> None:
    async def script(net: SimulatedNetwork, clock: VirtualClock, call_id: str) -> None:
        target = TransferTarget(TargetKind.AGENT, "b")
        await clock.sleep(2)
        with pytest.raises(ActionFailed):
            await net.start_consult(call_id, TransferTarget(TargetKind.QUEUE, QUEUE))
        await net.start_consult(call_id, target)
        await clock.sleep(2)
        await net.cancel_consult(call_id)
        await net.start_consult(call_id, target)
        await clock.sleep(2)
        await net.complete_consult(call_id)

    events = run_call(tmp_path, script)
    assert [(e.active, e.target) for e in of_type(events, ConsultChanged)] == [
        (True, "agent:b"), (False, "agent:b"), (True, "agent:b")
    ]  # fmt: skip
    (moved,) = of_type(events, CallTransferred)
    assert moved.attended
    assert [e.agent_id for e in of_type(events, CallBridged)] == ["a", "b"]


def test_paused_recording_leaves_a_silent_gap_of_the_paused_time(tmp_path: Path) -> None:
    pause_at, resume_at = 5.0, 12.0

    async def paused(net: SimulatedNetwork, clock: VirtualClock, call_id: str) -> None:
        await clock.sleep(pause_at)
        await net.pause_recording(call_id, paused=True)
        await clock.sleep(resume_at - pause_at)
        await net.pause_recording(call_id, paused=False)

    async def untouched(net: SimulatedNetwork, clock: VirtualClock, call_id: str) -> None:
        return None

    events = run_call(tmp_path / "paused", paused)
    run_call(tmp_path / "twin", untouched)  # same seed: the same conversation
    assert [e.paused for e in of_type(events, RecordingPauseChanged)] == [True, False]
    _, left, right = read_stereo(tmp_path / "paused" / "recordings" / "call-1.wav")
    _, twin_left, twin_right = read_stereo(tmp_path / "twin" / "recordings" / "call-1.wav")
    assert len(left) == len(twin_left)  # silence was written: the file keeps its length
    window = slice(round(pause_at * RATE), round(resume_at * RATE))
    assert any(twin_left[window]) and any(twin_right[window])  # people spoke then
    assert not any(left[window]) and not any(right[window])
    # The measured gap: the run of silent stereo frames around the window, at least 7 s,
    # at most 7 s plus the pauses between turns that may touch it (1.2 s each side).
    start, end = window.start, window.stop
    while start > 0 and not left[start - 1] and not right[start - 1]:
        start -= 1
    while end < len(left) and not left[end] and not right[end]:
        end += 1
    gap_s = (end - start) / RATE
    assert resume_at - pause_at <= gap_s <= resume_at - pause_at + 2.4
    assert left[: window.start] == twin_left[: window.start]
    assert left[window.stop :] == twin_left[window.stop :]
