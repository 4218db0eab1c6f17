"""The flow engine announces each session on the bus: its start before the first prompt, its
end when the IVR is done with the call; a bus that fails or hangs never stops the caller."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from dialer.bus import BusUnavailable, EventBus, MemoryBus
from dialer.floor import IvrCallEnded, IvrCallStarted, IvrDirection
from ivr.engine import FlowEngine, SessionResult
from ivr.errors import IvrError
from ivr.flow import load_flows, shipped_flows_dir
from ivr.port import CallContext, Destination
from ivr.simulated import CustomerProfile, ScriptedCustomer, SimulatedCall
from renewals.clock import FixedClock

AT = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)
INBOUND = CallContext(
    call_id="ivr-1", kind="inbound", phone="13800138001", lead_id=7, plate="粤B12345",
    owner_agent="1001", queue="renewal-2026q4",
)  # fmt: skip
REMINDER = CallContext(call_id="reminder-7-2026-05-20", kind="reminder", phone="13800138001",
                       lead_id=7, plate="粤B12345")  # fmt: skip


class BrokenBus:
    """A bus whose broker is away: every publish fails."""

    def __init__(self) -> None:
        self.tried = 0

    async def publish(self, event: object) -> None:
        self.tried += 1
        raise BusUnavailable("cannot publish on redis://127.0.0.1:1/0: refused")

    def subscribe(self, *types: type) -> AsyncIterator[object]:
        raise AssertionError("the IVR only publishes")

    async def close(self) -> None:
        pass


class StuckBus(BrokenBus):
    """A bus whose publish never returns (a broker that accepts and never answers)."""

    async def publish(self, event: object) -> None:
        self.tried += 1
        await asyncio.Event().wait()


class DeadDriver:
    """A line whose backend fails mid-session (not the caller hanging up)."""

    async def play(self, prompts: object, *, language: str, barge_in: bool, node: str) -> str:
        raise IvrError("ARI unreachable")

    async def read_digit(self, *, timeout_s: float) -> str:
        return ""

    async def transfer(self, destination: Destination) -> None:
        pass

    async def hangup(self) -> None:
        pass


async def _run(
    engine: FlowEngine, flow_id: str, ctx: CallContext, answers: list[str], clock: FixedClock
) -> tuple[SessionResult, SimulatedCall]:
    customer = ScriptedCustomer(CustomerProfile(answers=tuple(answers)))
    call = SimulatedCall(call_id=ctx.call_id, customer=customer, clock=clock)
    return await engine.run(flow_id, ctx, call), call


def _engine(
    clock: FixedClock, bus: EventBus | None = None, *, publish_timeout_s: float = 1.0
) -> FlowEngine:
    flows = load_flows(shipped_flows_dir())
    return FlowEngine(flows=flows, clock=clock, bus=bus, publish_timeout_s=publish_timeout_s)


async def _drain(events: AsyncIterator[object], n: int) -> list[object]:
    return [await anext(events) for _ in range(n)]


async def test_an_inbound_session_is_announced_at_its_start_and_its_transfer() -> None:
    bus = MemoryBus()
    events = bus.subscribe(IvrCallStarted, IvrCallEnded)
    clock = FixedClock(AT)
    result, call = await _run(_engine(clock, bus), "inbound_callback", INBOUND, ["1"], clock)
    assert call.transferred_to == Destination(kind="agent", name="1001")
    start, end = await _drain(events, 2)
    assert start == IvrCallStarted(
        call_id="ivr-1", at=AT, flow="inbound_callback", direction=IvrDirection.INBOUND, lead_id=7
    )
    assert isinstance(end, IvrCallEnded) and end.call_id == "ivr-1"
    assert (end.outcome, end.transfer_to, end.caller_hung_up) == ("contacted", "agent:1001", False)
    assert end.at > AT  # the prompts took simulated time
    assert end.at == clock.now() and result.outcome == "contacted"


async def test_a_reminder_the_customer_hangs_up_on_ends_too() -> None:
    bus = MemoryBus()
    events = bus.subscribe(IvrCallStarted, IvrCallEnded)
    clock = FixedClock(AT)
    await _run(_engine(clock, bus), "reminder", REMINDER, ["hangup"], clock)
    start, end = await _drain(events, 2)
    assert isinstance(start, IvrCallStarted) and start.direction is IvrDirection.REMINDER
    assert start.flow == "reminder" and start.call_id == "reminder-7-2026-05-20"
    assert isinstance(end, IvrCallEnded) and end.caller_hung_up and end.outcome == ""


async def test_a_session_that_breaks_off_on_an_error_still_ends_on_the_bus() -> None:
    bus = MemoryBus()
    events = bus.subscribe(IvrCallStarted, IvrCallEnded)
    with pytest.raises(IvrError):
        await _engine(FixedClock(AT), bus).run("inbound_callback", INBOUND, DeadDriver())
    _start, end = await _drain(events, 2)
    assert isinstance(end, IvrCallEnded) and end.outcome == "failed"


async def test_without_a_bus_nothing_is_published_and_the_flow_runs_the_same() -> None:
    one, other = FixedClock(AT), FixedClock(AT)
    with_bus, _ = await _run(
        _engine(one, MemoryBus()), "inbound_callback", INBOUND, ["2", "1"], one
    )
    without, _ = await _run(_engine(other), "inbound_callback", INBOUND, ["2", "1"], other)
    assert without == with_bus and without.outcome == "callback"


async def test_a_failing_bus_is_logged_and_the_caller_is_served(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus, clock = BrokenBus(), FixedClock(AT)
    with caplog.at_level(logging.WARNING, logger="ivr.notifier"):
        result, call = await _run(_engine(clock, bus), "inbound_callback", INBOUND, ["1"], clock)
    assert call.transferred_to == Destination(kind="agent", name="1001")
    assert result.outcome == "contacted" and bus.tried == 2
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["call ivr-1", "call ivr-1"]
    assert "IvrCallStarted not published" in caplog.records[0].getMessage()


async def test_a_bus_that_never_answers_is_given_up_after_the_timeout() -> None:
    bus, clock = StuckBus(), FixedClock(AT)
    engine = _engine(clock, bus, publish_timeout_s=0.05)
    result, call = await asyncio.wait_for(
        _run(engine, "inbound_callback", INBOUND, ["1"], clock), timeout=5
    )
    assert call.transferred_to is not None and result.outcome == "contacted" and bus.tried == 2
