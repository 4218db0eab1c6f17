"""The floor read from the database (at start and on a resync only), and its business day."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from dialer.bus import BusResync, MemoryBus
from dialer.calls.states import Outcome
from dialer.floor import CallPhase, FloorService, IvrCallEnded, IvrCallStarted, IvrDirection
from dialer.models import CampaignMode, Seat, SeatState
from dialer.seats.events import SeatChanged
from dialer.telephony.events import CallBridged
from renewals.clock import FixedClock
from renewals.models import ContactAttempt, Lead
from tests import factories as f
from tests.integration.dialer.runtime.campaign_process import START, seed_book


def _attempt(lead: Lead, n: int, **fields: object) -> ContactAttempt:
    return ContactAttempt(
        lead_id=lead.id, call_id=f"c{n}", campaign_id="q4", started_at=START, **fields
    )


def _seed(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        seed_book(s, leads=1, mode=CampaignMode.PREDICTIVE, now=START)
        lead = s.query(Lead).one()
        later = START + timedelta(seconds=30)
        f.add(
            s,
            _attempt(lead, 1, outcome=Outcome.COMPLETED.value, agent="1001", bridged_at=later,
                     ended_at=later),
            _attempt(lead, 2, outcome=Outcome.ABANDONED.value, answered_at=later, ended_at=later),
            _attempt(lead, 3, agent="1002", answered_at=later, bridged_at=later),  # talking now
            _attempt(lead, 4),  # dialing or ringing
            # Closed with its end unseen: after an answer it counts as an abandon, before not.
            _attempt(lead, 5, outcome=Outcome.INTERRUPTED.value, answered_at=later,
                     ended_at=later),
            _attempt(lead, 6, outcome=Outcome.INTERRUPTED.value, ended_at=later),
            # Yesterday's (Shanghai) call counts for nothing today.
            ContactAttempt(lead_id=lead.id, call_id="old", campaign_id="q4",
                           started_at=START - timedelta(days=1), outcome="abandoned"),
            Seat(agent_id="1002", campaign_id="q4", state=SeatState.ON_CALL, since=later,
                 pause_reason="", call_id="c3"),
            Seat(agent_id="1003", campaign_id="q4", state=SeatState.PAUSED, since=later,
                 pause_reason="lunch"),
        )  # fmt: skip


def test_the_floor_read_from_the_database(session_factory: sessionmaker[Session]) -> None:
    _seed(session_factory)
    floor = FloorService(
        bus=MemoryBus(), sessions=session_factory, clock=FixedClock(START + timedelta(minutes=1)),
        timezone="Asia/Shanghai",
    )  # fmt: skip
    floor.reload()
    counts = floor.state.counts("q4")
    assert (counts.live_answers_today, counts.abandoned_today) == (4, 2)
    assert counts.lines[CallPhase.TALKING] == 1 and counts.lines[CallPhase.DIALING] == 1
    assert counts.seats[SeatState.ON_CALL] == 1 and counts.seats[SeatState.PAUSED] == 1
    talking = floor.state.seat_on_call("c3")
    assert talking is not None and talking.agent_id == "1002" and talking.calls_today == 1
    call = floor.state.call("c3")
    assert call is not None and call.number_masked.startswith("138") and "*" in call.number_masked
    assert floor.state.seat("1003").reason == "lunch"  # type: ignore[union-attr]


async def test_the_floor_rereads_on_a_resync_and_after_an_overflow(
    session_factory: sessionmaker[Session],
) -> None:
    _seed(session_factory)
    clock = FixedClock(START + timedelta(minutes=1))
    bus = MemoryBus(maxsize=2)
    floor = FloorService(bus=bus, sessions=session_factory, clock=clock, timezone="Asia/Shanghai")
    task = asyncio.create_task(floor.run())
    await asyncio.sleep(0)
    assert floor.reloads == 1
    await bus.publish(CallBridged(call_id="c9", at=clock.now(), agent_id="1003"))
    await bus.publish(BusResync(at=clock.now(), reason="test"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert floor.reloads == 2
    for _ in range(3):  # more than the floor's queue holds before it runs again
        await bus.publish(
            SeatChanged(agent_id="1004", campaign_id="q4", state=SeatState.READY, at=clock.now())
        )
    for _ in range(5):
        await asyncio.sleep(0)
    assert floor.reloads == 3
    task.cancel()


def test_counts_restart_when_the_business_day_changes(
    session_factory: sessionmaker[Session],
) -> None:
    _seed(session_factory)
    clock = FixedClock(START + timedelta(minutes=1))  # 10:01 in Shanghai
    floor = FloorService(
        bus=MemoryBus(), sessions=session_factory, clock=clock, timezone="Asia/Shanghai"
    )
    floor.reload()
    clock.advance(timedelta(hours=13))  # 23:01: the same day
    assert floor.state.counts("q4").live_answers_today == 4
    clock.advance(timedelta(hours=1))  # 00:01 the next day
    assert floor.state.counts("q4").live_answers_today == 0
    assert floor.state.counts("q4").lines[CallPhase.TALKING] == 1  # the live call goes on


async def test_calls_in_the_ivr_follow_the_bus_and_outlive_a_reload(
    session_factory: sessionmaker[Session],
) -> None:
    # The database stores an IVR session only at its end: a reload cannot rebuild the live ones.
    _seed(session_factory)
    clock = FixedClock(START + timedelta(minutes=1))
    bus = MemoryBus()
    floor = FloorService(bus=bus, sessions=session_factory, clock=clock, timezone="Asia/Shanghai")
    task = asyncio.create_task(floor.run())
    await asyncio.sleep(0)
    start = IvrCallStarted(
        call_id="reminder-1", at=clock.now(), flow="reminder", direction=IvrDirection.REMINDER
    )
    await bus.publish(start)
    await bus.publish(BusResync(at=clock.now(), reason="test"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert floor.reloads == 2
    assert floor.state.ivr.counts(clock.now()).reminder == 1
    await bus.publish(IvrCallEnded(call_id="reminder-1", at=clock.now(), outcome="contacted"))
    for _ in range(3):
        await asyncio.sleep(0)
    assert floor.state.ivr.counts(clock.now()).total == 0
    task.cancel()
