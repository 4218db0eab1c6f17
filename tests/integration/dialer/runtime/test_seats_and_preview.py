"""Runtime rules around the seats: nothing dials with no agent logged in, a wrap-up past the
campaign's limit ends by itself, and preview dialing calls the next customer for the agent who
clicked and puts the call through to that agent only."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config.shift import compose_runtime
from dialer.models import CampaignMode, Seat, SeatState
from dialer.runtime import CampaignRuntime
from dialer.seats import SeatDesk
from dialer.simulated import SimProfile, SimulatedNetwork, VirtualClock, run_virtual
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt
from tests.integration.dialer.runtime.campaign_process import START, seed_book
from tests.integration.dialer.simulated.support import only


async def _compose(
    sessions: sessionmaker[Session], tmp_path: Path, profile: SimProfile
) -> tuple[CampaignRuntime, SeatDesk, SimulatedNetwork, VirtualClock]:
    clock = VirtualClock(start=START)
    net = SimulatedNetwork(profile=profile, clock=clock, seed=1, recordings_dir=tmp_path)
    await net.start()
    runtime, desk = compose_runtime(
        sessions=sessions, port=net, clock=clock, campaign_id="q4", owner="r1", rules=CadenceRules()
    )
    await runtime.start()
    return runtime, desk, net, clock


def test_nothing_dials_while_no_agent_is_logged_in(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=20, mode=CampaignMode.PREDICTIVE, now=START)

    async def main() -> list[int]:
        runtime, desk, net, _clock = await _compose(session_factory, tmp_path, only("human"))
        placed = [await runtime.tick()]
        await desk.login("1001")
        placed.append(await runtime.tick())
        await desk.logout("1001")
        placed.append(await runtime.tick())
        await net.close()
        return placed

    first, with_agent, after_logout = run_virtual(main())
    assert first == 0 and with_agent >= 1 and after_logout == 0


def test_a_wrap_up_past_the_campaign_limit_ends_by_itself(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=5, mode=CampaignMode.PROGRESSIVE, now=START)

    async def main() -> None:
        runtime, desk, net, clock = await _compose(session_factory, tmp_path, only("human"))
        await desk.login("1001")
        desk.bridged("1001", "c-1")
        await desk.call_ended("1001", "c-1")
        await clock.sleep(59)
        desk.heard("1001")  # the agent's console beats all along
        await runtime.tick()  # 59 s of the campaign's 60 s limit: still wrapping up
        assert _state(session_factory, "1001") is SeatState.WRAP_UP
        await clock.sleep(1)
        await runtime.tick()
        assert _state(session_factory, "1001") in (SeatState.READY, SeatState.ON_CALL)
        await net.close()

    run_virtual(main())


def _state(sessions: sessionmaker[Session], agent: str) -> SeatState:
    with sessions() as s:
        seat = s.get(Seat, agent)
        assert seat is not None
        return seat.state


def test_preview_dials_for_the_agent_who_clicked_and_routes_the_answer_to_them(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=5, mode=CampaignMode.PREVIEW, now=START)

    async def main() -> str | None:
        runtime, desk, net, clock = await _compose(session_factory, tmp_path, only("human"))
        await desk.login("1001")
        await desk.login("1002")
        assert await runtime.tick() == 0  # preview never dials by itself
        run = asyncio.create_task(runtime.run())
        call_id = await runtime.preview_dial("1002")
        assert _state(session_factory, "1002") is SeatState.RESERVED
        await clock.sleep(120)
        runtime.stop()
        await run
        await net.close()
        return call_id

    call_id = run_virtual(main())
    assert call_id is not None
    with session_factory() as s:
        attempt = s.scalars(select(ContactAttempt).where(ContactAttempt.call_id == call_id)).one()
    assert attempt.outcome == "completed" and attempt.agent == "1002"
    assert attempt.bridged_at is not None and attempt.answered_at is not None
    assert attempt.bridged_at - attempt.answered_at <= timedelta(seconds=2)
