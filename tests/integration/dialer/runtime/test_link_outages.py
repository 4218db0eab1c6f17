"""The runtime on a link that drops (issue 9, items 1, 2, 3 and 12; issue 10, the overflow).

On the simulated network behind ``FlakyLink``, which behaves as the AMI adapter does:
``LinkStatusChanged(up=False)``, events lost and every action refused with
``BackendUnavailable`` while down, the queue emptied by a restart, ``LinkStatusChanged(up=True)``
once back. The runtime must keep running, pause dialing (closing nothing as failed), re-add
the seats with their pause state, re-sync its calls and resume; its agent bots must survive.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config.shift import agent_bots, compose_runtime
from dialer.models import CampaignMode, Seat, SeatState
from dialer.runtime import CampaignRuntime
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from dialer.telephony.events import SeatStatusChanged
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt, Lead
from tests.integration.dialer.runtime.campaign_process import START, seed_book
from tests.integration.dialer.runtime.flaky import FlakyLink
from tests.integration.dialer.simulated.support import profile

AGENTS = ("1001", "1002", "1003")
# People answer or not; nothing fails by itself, so any "failed" would be the outage's.
CUSTOMERS = profile(
    outcomes={"human": 0.5, "machine": 0.1, "busy": 0.1, "failed": 0.0},
    ring_s={"mean": 6, "sd": 3}, talk_s={"mean": 40, "sd": 20}, wrap_s={"mean": 8, "sd": 4},
)  # fmt: skip


async def _campaign(
    sessions: sessionmaker[Session], tmp_path: Path, *, events_maxsize: int = 10_000
) -> tuple[CampaignRuntime, FlakyLink, VirtualClock, asyncio.Task[None], asyncio.Task[None]]:
    clock = VirtualClock(start=START)
    net = SimulatedNetwork(profile=CUSTOMERS, clock=clock, seed=5, recordings_dir=tmp_path)
    link = FlakyLink(net, clock=clock, events_maxsize=events_maxsize)
    await link.start()
    serial = itertools.count(1)
    runtime, desk = compose_runtime(
        sessions=sessions, port=link, clock=clock, campaign_id="q4", owner="r1",
        rules=CadenceRules(), new_call_id=lambda: f"c-{next(serial):04d}",  # seeded customers
    )  # fmt: skip
    await runtime.start()
    bots = agent_bots(
        sessions=sessions, desk=desk, clock=clock, rules=CadenceRules(), agents=len(AGENTS),
        wrap=CUSTOMERS.wrap_s, seed=5,
    )  # fmt: skip
    bot_events = link.events()
    await bots.login_all()
    bot_task = asyncio.create_task(bots.run(bot_events, resubscribe=link.events), name="bots")
    return runtime, link, clock, asyncio.create_task(runtime.run()), bot_task


def _attempts(sessions: sessionmaker[Session]) -> list[ContactAttempt]:
    with sessions() as s:
        return list(s.scalars(select(ContactAttempt).order_by(ContactAttempt.id)))


def _on_call(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(Seat.agent_id).where(Seat.state == SeatState.ON_CALL)))


def _started_between(attempts: list[ContactAttempt], start: datetime, end: datetime) -> int:
    return sum(1 for a in attempts if start <= a.started_at < end)


def test_an_outage_pauses_dialing_then_seats_rejoin_and_dialing_resumes(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=300, mode=CampaignMode.PREDICTIVE, now=START)
    marks: dict[str, datetime] = {}

    async def main() -> FlakyLink:
        runtime, link, clock, run, bots = await _campaign(session_factory, tmp_path)
        await clock.sleep(300)
        marks["down"] = clock.now()
        link.drop()  # Asterisk stops: calls in flight, wrap-ups ending, ticks every second
        await clock.sleep(60)
        await link.restart()  # back empty: its queue has no members
        marks["up"] = clock.now()
        link.actions.clear()
        link.restore()
        await clock.sleep(300)
        runtime.stop()
        await run  # the runtime ran through it all and ends normally
        assert not bots.done(), "the agent bots died"
        bots.cancel()
        await link.close()
        return link

    link = run_virtual(main())
    attempts = _attempts(session_factory)
    # Dialing paused while down: no call was started, none was closed "failed" for it.
    assert _started_between(attempts, marks["down"], marks["up"]) == 0
    assert [a.call_id for a in attempts if a.outcome == "failed"] == []
    assert all(a.outcome is not None for a in attempts)
    # Back up: every live seat re-added to the queue, then dialing resumed and calls bridged.
    assert sorted(t for a, t in link.actions if a == "QueueAdd") == list(AGENTS)
    after = [a for a in attempts if a.started_at >= marks["up"]]
    assert after and any(a.outcome == "completed" for a in after)
    assert {a.agent for a in after if a.agent} <= set(AGENTS)
    # Calls that ended unseen during the outage are closed by the re-sync, not left open.
    with session_factory() as s:
        assert s.scalar(select(func.count()).where(Lead.lease_owner.is_not(None))) == 0


def test_an_originate_refused_as_unavailable_returns_the_lead_unattempted(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    # Item 12: "Asterisk is shutting down" answers an Originate while the link is still up.
    with session_factory.begin() as s:
        seed_book(s, leads=20, mode=CampaignMode.PREDICTIVE, now=START)

    async def main() -> int:
        clock = VirtualClock(start=START)
        net = SimulatedNetwork(profile=CUSTOMERS, clock=clock, seed=5, recordings_dir=tmp_path)
        link = FlakyLink(net, clock=clock)
        await link.start()
        runtime, desk = compose_runtime(
            sessions=session_factory, port=link, clock=clock, campaign_id="q4", owner="r1",
            rules=CadenceRules(),
        )  # fmt: skip
        await runtime.start()
        await desk.login("1001")
        link.refuse_originates = True
        placed = await runtime.tick()  # refused: placed or not, the next re-sync will say
        with session_factory() as s:  # until then the attempt stays open, never "failed"
            assert s.scalars(select(ContactAttempt.outcome)).all() == [None]
        await runtime.resync()  # (the first tick after the hold does this)
        await link.close()
        return placed

    assert run_virtual(main()) == 0
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ContactAttempt)) == 0
        leads = s.scalars(select(Lead)).all()
        assert all(lead.lease_owner is None and lead.attempts == 0 for lead in leads)


def test_a_flooded_event_queue_is_resubscribed_and_resynced(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=300, mode=CampaignMode.PREDICTIVE, now=START)
    marks: dict[str, datetime] = {}

    async def main() -> None:
        runtime, link, clock, run, bots = await _campaign(
            session_factory, tmp_path, events_maxsize=50
        )
        await clock.sleep(200)
        marks["flood"] = clock.now()
        for _ in range(200):  # a burst no consumer can keep up with, in one go
            link.fanout.publish(SeatStatusChanged(agent_id="9999", at=clock.now(), status="idle"))
        await clock.sleep(200)
        runtime.stop()
        await run  # would raise EventQueueOverflow if the runtime let it end its stream
        bots.cancel()
        await link.close()

    run_virtual(main())
    attempts = _attempts(session_factory)
    assert all(a.outcome is not None for a in attempts)
    assert _started_between(attempts, marks["flood"], datetime.max.replace(tzinfo=UTC)) > 0
    with session_factory() as s:
        seats = {seat.agent_id: seat.state for seat in s.scalars(select(Seat))}
    assert SeatState.ON_CALL not in seats.values()  # every call's end reached its seat


def test_a_seat_action_refused_after_a_restart_does_not_end_the_runtime(
    session_factory: sessionmaker[Session], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Item 1: Asterisk restarted unseen; "Interface not found" answers the wrap-up's pause.
    with session_factory.begin() as s:
        seed_book(s, leads=300, mode=CampaignMode.PREDICTIVE, now=START)

    async def main() -> None:
        runtime, link, clock, run, bots = await _campaign(session_factory, tmp_path)
        await clock.sleep(60)
        while not _on_call(session_factory):
            await clock.sleep(1)
        await link.restart()  # the queue forgets its members; calls in flight go on
        await clock.sleep(120)
        runtime.stop()
        await run  # an ActionFailed escaping _consume would end it with an exception
        bots.cancel()
        await link.close()

    run_virtual(main())
    assert "wrap-up failed" in caplog.text  # the refusal was logged, not raised
    assert all(a.outcome is not None for a in _attempts(session_factory))
    with session_factory() as s:
        seats = {seat.agent_id: seat.state for seat in s.scalars(select(Seat))}
    assert SeatState.ON_CALL not in seats.values()  # each ended call moved its seat on
