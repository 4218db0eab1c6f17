"""Each fact of a call is stored as it happens (issue 9, items 6 and 8).

A runtime that dies while a customer talks to an agent leaves the answer, the bridge, the agent
and the recording's path stored; the runtime that re-syncs after it closes the call as a
contact with those facts, not as ``interrupted``. At a call's end the recording file is
looked for under the recordings root, and a missing one is marked.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config.shift import compose_runtime
from dialer.models import CampaignMode, Seat, SeatState
from dialer.runtime import CampaignRuntime, RuntimeOptions
from dialer.seats import SeatDesk
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt, Lead
from tests.integration.dialer.runtime.campaign_process import START, beating_console, seed_book
from tests.integration.dialer.simulated.support import only

TALK = {"mean": 120, "sd": 1}


def _runtime(
    sessions: sessionmaker[Session], net: SimulatedNetwork, clock: VirtualClock, **options: object
) -> tuple[CampaignRuntime, SeatDesk]:
    return compose_runtime(
        sessions=sessions, port=net, clock=clock, campaign_id="q4", owner="r1",
        rules=CadenceRules(), options=replace(RuntimeOptions(), **options),
    )  # fmt: skip


def _attempt(sessions: sessionmaker[Session]) -> ContactAttempt:
    with sessions() as s:
        return s.scalars(select(ContactAttempt)).one()


async def _mid_conversation(
    sessions: sessionmaker[Session], tmp_path: Path
) -> tuple[VirtualClock, SimulatedNetwork, asyncio.Task[None], CampaignRuntime, asyncio.Task[None]]:
    """One lead's call, 60 s in: answered, bridged to 1001, recording; the runtime running."""
    clock = VirtualClock(start=START)
    net = SimulatedNetwork(
        profile=only("human", talk_s=TALK), clock=clock, seed=1, recordings_dir=tmp_path
    )
    await net.start()
    runtime, desk = _runtime(sessions, net, clock, recordings_dir=tmp_path)
    await runtime.start()
    console = asyncio.create_task(beating_console(desk, clock, "1001"))
    running = asyncio.create_task(runtime.run())
    await clock.sleep(60)
    return clock, net, console, runtime, running


def test_a_runtime_killed_mid_conversation_leaves_the_facts_for_the_next(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=1, mode=CampaignMode.PROGRESSIVE, now=START, zone="Asia/Shanghai")

    async def main() -> tuple[ContactAttempt, ContactAttempt]:
        clock, net, console, _first, running = await _mid_conversation(session_factory, tmp_path)
        running.cancel()  # the process dies: nothing more is stored by it
        await asyncio.gather(running, return_exceptions=True)
        mid = _attempt(session_factory)
        await clock.sleep(120)  # the conversation ends while no runtime is following it
        second, _desk = _runtime(session_factory, net, clock, recordings_dir=tmp_path)
        await second.start()  # the re-sync finds the call gone
        console.cancel()
        await net.close()
        return mid, _attempt(session_factory)

    mid, end = run_virtual(main())
    assert mid.outcome is None
    assert mid.answered_at is not None and mid.bridged_at is not None
    assert (mid.agent, mid.recording_path) == (
        "1001",
        f"{mid.started_at:%Y/%m/%d}/{mid.call_id}.wav",
    )
    assert end.outcome == "completed"  # talked to an agent: a contact, not "interrupted"
    assert (end.answered_at, end.bridged_at, end.agent, end.recording_path) == (
        mid.answered_at, mid.bridged_at, mid.agent, mid.recording_path,
    )  # fmt: skip
    assert end.recording_missing is False  # the network wrote it where it said
    with session_factory() as s:
        seat = s.get(Seat, "1001")
        assert seat is not None and seat.state is SeatState.WRAP_UP


def test_a_recording_not_found_where_the_backend_wrote_it_is_marked(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=1, mode=CampaignMode.PROGRESSIVE, now=START, zone="Asia/Shanghai")

    async def main() -> None:
        clock = VirtualClock(start=START)
        net = SimulatedNetwork(
            profile=only("human", talk_s=TALK), clock=clock, seed=1, recordings_dir=tmp_path / "a"
        )
        await net.start()
        # The store root is not where the network records: the file cannot be found there.
        runtime, desk = _runtime(session_factory, net, clock, recordings_dir=tmp_path / "b")
        await runtime.start()
        console = asyncio.create_task(beating_console(desk, clock, "1001"))
        running = asyncio.create_task(runtime.run())
        await clock.sleep(300)
        runtime.stop()
        await running
        console.cancel()
        await net.close()

    run_virtual(main())
    attempt = _attempt(session_factory)
    assert attempt.outcome == "completed" and attempt.recording_path
    assert (tmp_path / "a" / attempt.recording_path).is_file()
    assert attempt.recording_missing is True


def test_a_runtime_stopped_twice_leaves_its_live_calls_to_the_next(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    # The first stop waits for the call to end; the second (an operator's second Ctrl-C) does
    # not: run() returns at the next tick, the call stays open with its facts, and the next
    # runtime's re-sync closes it as the contact it was.
    with session_factory.begin() as s:
        seed_book(s, leads=1, mode=CampaignMode.PROGRESSIVE, now=START, zone="Asia/Shanghai")

    async def main() -> tuple[ContactAttempt, float, ContactAttempt]:
        clock, net, console, first, running = await _mid_conversation(session_factory, tmp_path)
        first.stop()
        await clock.sleep(5)
        assert not running.done()  # still following the call to its end
        stopped_at = clock.now()
        first.stop()
        await running
        waited = (clock.now() - stopped_at).total_seconds()
        left = _attempt(session_factory)
        console.cancel()
        await clock.sleep(120)  # the conversation ends while no runtime is following it
        second, _desk = _runtime(session_factory, net, clock, recordings_dir=tmp_path)
        await second.start()
        await net.close()
        return left, waited, _attempt(session_factory)

    left, waited, end = run_virtual(main())
    assert waited <= 1.0  # one tick
    assert left.outcome is None and left.bridged_at is not None and left.agent == "1001"
    assert end.outcome == "completed" and end.agent == "1001"


def test_an_answered_call_closed_unseen_counts_against_the_abandon_cap(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    # A customer answered, no agent yet, and the runtime died: the call ended unseen. Its fate
    # is unknown, so the stored outcome says so and the pacer counts it as an abandon, as the
    # compliance report does (dialer.abandon_counting).
    with session_factory.begin() as s:
        seed_book(s, leads=1, mode=CampaignMode.PROGRESSIVE, now=START, zone="Asia/Shanghai")
        lead = s.scalars(select(Lead)).one()
        s.add(
            ContactAttempt(
                lead_id=lead.id, call_id="lost-1", campaign_id="q4", started_at=START,
                answered_at=START + timedelta(seconds=9), agent=None,
            )
        )  # fmt: skip
        lead.lease_owner, lead.lease_expires_at = "r1", START + timedelta(minutes=5)

    async def main() -> tuple[int, int]:
        clock = VirtualClock(start=START + timedelta(minutes=1))
        net = SimulatedNetwork(
            profile=only("human", talk_s=TALK), clock=clock, seed=1, recordings_dir=tmp_path
        )
        await net.start()
        runtime, _desk = _runtime(session_factory, net, clock, recordings_dir=tmp_path)
        await runtime.start()  # the re-sync finds the call gone
        recent = runtime._stats.recent(clock.now())
        await net.close()
        return recent.live_answers, recent.abandoned

    assert run_virtual(main()) == (1, 1)
    end = _attempt(session_factory)
    assert (end.outcome, end.bridged_at) == ("interrupted", None)
