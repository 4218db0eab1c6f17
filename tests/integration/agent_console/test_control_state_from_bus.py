"""Every console process shows a call's controls as the port reports them on the bus, so an
agent whose page reconnects to another `xubao serve` sees the call still held, muted, etc."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from agent_console.call_controls import CallControlService
from agent_console.options import ConsoleOptions
from dialer.bus.memory import MemoryBus
from dialer.telephony.events import (
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    ConsultChanged,
    RecordingPauseChanged,
)
from renewals.clock import FixedClock

AT = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


class _OnCall:
    """The seat view of agent 1001 on call c1 (what `SeatService.view` gives)."""

    def view(self, agent_id: str) -> dict[str, object]:
        return {"call_id": "c1", "state": "on_call"} if agent_id == "1001" else {}


async def test_a_second_process_shows_the_controls_done_through_the_first(
    session_factory: sessionmaker[Session],
) -> None:
    bus = MemoryBus()
    other = CallControlService(
        sessions=session_factory, seats=_OnCall(), options=ConsoleOptions(),  # type: ignore[arg-type]
        clock=FixedClock(AT),
    )  # fmt: skip
    follower = asyncio.create_task(other.follow(bus))
    await asyncio.sleep(0)  # subscribed

    async def shown(*events: object) -> dict[str, object]:
        for event in events:
            await bus.publish(event)
        for _ in range(100):
            await asyncio.sleep(0)
        return other.state("1001", "c1")

    assert (await shown())["held"] is False
    state = await shown(
        CallHoldChanged(call_id="c1", at=AT, held=True),
        CallMuteChanged(call_id="c1", at=AT, muted=True),
        RecordingPauseChanged(call_id="c1", at=AT, paused=True),
        ConsultChanged(call_id="c1", at=AT, active=True, target="agent:1002"),
    )
    assert (state["held"], state["muted"], state["recording_paused"], state["consult"]) == (
        True, True, True, "agent:1002",
    )  # fmt: skip
    state = await shown(
        ConsultChanged(call_id="c1", at=AT, active=False, target="agent:1002"),
        CallHoldChanged(call_id="c1", at=AT, held=False),
    )
    assert (state["held"], state["muted"], state["consult"]) == (False, True, None)
    state = await shown(CallHungUp(call_id="c1", at=AT, cause=16))
    assert (state["held"], state["muted"], state["recording_paused"]) == (False, False, False)
    follower.cancel()
    await asyncio.gather(follower, return_exceptions=True)
