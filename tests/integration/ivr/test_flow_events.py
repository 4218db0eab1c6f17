"""A flow on the simulated network, stored on its lead, is announced on the bus: the floor
counts the line from the start to the end, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from dialer.bus import MemoryBus
from dialer.floor import FloorState, IvrCallEnded, IvrCallStarted, IvrCounts, IvrDirection
from tests.integration.ivr.support import AT, add_lead, run_flow


async def test_a_reminder_call_is_a_reminder_line_from_its_start_to_its_end(
    session_factory: sessionmaker[Session],
) -> None:
    lead_id = add_lead(session_factory)
    bus = MemoryBus()
    events = bus.subscribe(IvrCallStarted, IvrCallEnded)
    ran = await run_flow(
        session_factory, "reminder", ["9", "1"], lead_id=lead_id, call_id="reminder-1", bus=bus
    )
    start, end = await anext(events), await anext(events)
    assert start == IvrCallStarted(
        call_id="reminder-1", at=AT, flow="reminder", direction=IvrDirection.REMINDER,
        lead_id=lead_id,
    )  # fmt: skip
    assert end == IvrCallEnded(
        call_id="reminder-1", at=ran.stored.ended_at, outcome="opt_out", caller_hung_up=False
    )
    assert ran.stored.outcome == "opt_out"
    floor = FloorState()
    floor.apply(start)
    assert floor.ivr.counts(AT) == IvrCounts(reminder=1)
    floor.apply(end)
    assert floor.ivr.counts(end.at).total == 0


async def test_an_unknown_inbound_caller_is_an_inbound_line_with_no_lead(
    session_factory: sessionmaker[Session],
) -> None:
    bus = MemoryBus()
    events = bus.subscribe(IvrCallStarted, IvrCallEnded)
    ran = await run_flow(session_factory, "inbound_callback", ["1"], caller="13900139000", bus=bus)
    start, end = await anext(events), await anext(events)
    assert isinstance(start, IvrCallStarted) and start.lead_id is None
    assert start.direction is IvrDirection.INBOUND and start.call_id == ran.ctx.call_id
    assert isinstance(end, IvrCallEnded) and end.transfer_to == ran.stored.transfer_to
