"""A console's seat and call actions reach the runtime's port as bus commands, in order, with
the backend's errors carried back; no runtime answering is ``BackendUnavailable``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from dialer.bus import DIALER_EVENTS, EventCodec, MemoryBus, PortCommandServer, RemotePort
from dialer.bus.commands import PortAction, PortCommand
from dialer.errors import BackendUnavailable, UnknownCall
from dialer.telephony.events import PortEvent
from dialer.telephony.port import LiveCall, OriginateRequest, SpyMode, TargetKind, TransferTarget
from renewals.clock import SystemClock


class _RecordingPort:
    """The runtime's port: notes each call; a hang-up of an unknown call fails as a backend's."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    async def start(self) -> None: ...
    async def close(self) -> None: ...

    def events(self) -> AsyncIterator[PortEvent]:
        raise AssertionError("the command server only calls actions, never reads events")

    async def originate(self, request: OriginateRequest) -> None: ...

    async def hangup(self, call_id: str, *, cause: int = 16) -> None:
        if call_id != "c-1":
            raise UnknownCall(f"no live call {call_id}", call_id=call_id)
        self.calls.append(("hangup", call_id, str(cause)))

    async def route_to_agent(self, call_id: str, agent_id: str) -> None: ...

    async def add_seat(self, agent_id: str, *, queue: str, name: str = "") -> None:
        self.calls.append(("add_seat", agent_id, queue, name))

    async def pause_seat(
        self, agent_id: str, *, queue: str, paused: bool, reason: str = ""
    ) -> None:
        self.calls.append(("pause_seat", agent_id, queue, str(paused), reason))

    async def remove_seat(self, agent_id: str, *, queue: str) -> None:
        self.calls.append(("remove_seat", agent_id, queue))

    async def start_recording(self, call_id: str, *, path: str) -> None: ...
    async def stop_recording(self, call_id: str) -> None: ...

    async def spy(self, call_id: str, *, supervisor: str, mode: SpyMode) -> None:
        self.calls.append(("spy", call_id, supervisor, mode.value))

    async def play(self, call_id: str, *, message: str) -> None: ...

    async def live_calls(self) -> list[LiveCall]:
        return []

    async def hold(self, call_id: str, *, held: bool) -> None:
        self.calls.append(("hold", call_id, str(held)))

    async def mute(self, call_id: str, *, muted: bool) -> None:
        self.calls.append(("mute", call_id, str(muted)))

    async def transfer(self, call_id: str, target: TransferTarget) -> None:
        self.calls.append(("transfer", call_id, str(target)))

    async def start_consult(self, call_id: str, target: TransferTarget) -> None:
        self.calls.append(("start_consult", call_id, str(target)))

    async def complete_consult(self, call_id: str) -> None:
        self.calls.append(("complete_consult", call_id))

    async def cancel_consult(self, call_id: str) -> None:
        self.calls.append(("cancel_consult", call_id))

    async def pause_recording(self, call_id: str, *, paused: bool) -> None:
        self.calls.append(("pause_recording", call_id, str(paused)))


async def test_seat_actions_are_applied_in_order_by_the_campaigns_runtime() -> None:
    bus, clock, port = MemoryBus(), SystemClock(), _RecordingPort()
    server = PortCommandServer(bus=bus, port=port, campaign_ids=["q4"], clock=clock)
    remote = RemotePort(bus=bus, campaign_id="q4", clock=clock, timeout_s=2)
    await remote.start()
    async with asyncio.TaskGroup() as group:
        serving = group.create_task(server.run())
        await remote.add_seat("1001", queue="renewals", name="张三")
        await remote.pause_seat("1001", queue="renewals", paused=True, reason="lunch")
        await remote.hangup("c-1", cause=17)
        await remote.spy("c-1", supervisor="9001", mode=SpyMode.WHISPER)
        await remote.remove_seat("1001", queue="renewals")
        with pytest.raises(UnknownCall, match="no live call c-9"):
            await remote.hangup("c-9")  # the backend's error, carried back by name
        serving.cancel()
    await remote.close()
    assert port.calls == [
        ("add_seat", "1001", "renewals", "张三"),
        ("pause_seat", "1001", "renewals", "True", "lunch"),
        ("hangup", "c-1", "17"),
        ("spy", "c-1", "9001", "whisper"),
        ("remove_seat", "1001", "renewals"),
    ]
    assert server.applied == 5


async def test_call_controls_of_a_console_reach_the_runtimes_port() -> None:
    bus, clock, port = MemoryBus(), SystemClock(), _RecordingPort()
    server = PortCommandServer(bus=bus, port=port, campaign_ids=["q4"], clock=clock)
    remote = RemotePort(bus=bus, campaign_id="q4", clock=clock, timeout_s=2)
    await remote.start()
    agent2 = TransferTarget(kind=TargetKind.AGENT, id="1002")
    async with asyncio.TaskGroup() as group:
        serving = group.create_task(server.run())
        await remote.hold("c-1", held=True)
        await remote.hold("c-1", held=False)
        await remote.mute("c-1", muted=True)
        await remote.pause_recording("c-1", paused=True)
        await remote.start_consult("c-1", agent2)
        await remote.cancel_consult("c-1")
        await remote.start_consult("c-1", agent2)
        await remote.complete_consult("c-1")
        await remote.transfer("c-2", TransferTarget(kind=TargetKind.QUEUE, id="renewals"))
        serving.cancel()
    await remote.close()
    assert port.calls == [
        ("hold", "c-1", "True"),
        ("hold", "c-1", "False"),
        ("mute", "c-1", "True"),
        ("pause_recording", "c-1", "True"),
        ("start_consult", "c-1", "agent:1002"),
        ("cancel_consult", "c-1"),
        ("start_consult", "c-1", "agent:1002"),
        ("complete_consult", "c-1"),
        ("transfer", "c-2", "queue:renewals"),
    ]


async def test_another_campaigns_runtime_leaves_the_command_and_the_asker_times_out() -> None:
    bus, clock, port = MemoryBus(), SystemClock(), _RecordingPort()
    server = PortCommandServer(bus=bus, port=port, campaign_ids=["other"], clock=clock)
    remote = RemotePort(bus=bus, campaign_id="q4", clock=clock, timeout_s=0.2)
    await remote.start()
    async with asyncio.TaskGroup() as group:
        serving = group.create_task(server.run())
        with pytest.raises(BackendUnavailable, match="no runtime of campaign q4 answered"):
            await remote.add_seat("1001", queue="renewals")
        serving.cancel()
    await remote.close()
    assert port.calls == []


async def test_a_console_never_dials() -> None:
    remote = RemotePort(bus=MemoryBus(), campaign_id="q4", clock=SystemClock())
    request = OriginateRequest(
        call_id="c-1", number="13800000000", caller_id="021", ring_timeout_s=15, queue="q"
    )
    with pytest.raises(BackendUnavailable, match="dials in its runtime process"):
        await remote.originate(request)


def test_commands_and_answers_cross_processes_as_json() -> None:
    codec = EventCodec(DIALER_EVENTS)
    command = PortCommand(
        command_id="x1", campaign_id="q4", action=PortAction.PAUSE_SEAT,
        at=SystemClock().now(), agent_id="1001", queue="renewals", paused=True, reason="lunch",
    )  # fmt: skip
    assert codec.decode(codec.encode(command)) == command
