"""Seat heartbeats: a seat not heard from within the lapse time is not counted, and is logged
out and taken out of the queue; a seat holding a call lapses only once the call has ended."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialer.models import CampaignMode, Seat, SeatState
from dialer.seats import SeatDesk
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from tests.integration.dialer.runtime.campaign_process import START, seed_book
from tests.integration.dialer.simulated.support import only


def _states(sessions: sessionmaker[Session]) -> dict[str, SeatState]:
    with sessions() as s:
        return {seat.agent_id: seat.state for seat in s.scalars(select(Seat))}


def test_only_heard_seats_count_and_lapsed_ones_leave_the_queue(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=1, mode=CampaignMode.PREDICTIVE, now=START)

    async def main() -> None:
        clock = VirtualClock(start=START)
        net = SimulatedNetwork(profile=only("human"), clock=clock, seed=1, recordings_dir=tmp_path)
        await net.start()
        desk = SeatDesk(
            sessions=session_factory, port=net, clock=clock, campaign_id="q4",
            queue="renewals", lapse_s=6,
        )  # fmt: skip
        for agent in ("1001", "1002", "1003"):
            await desk.login(agent)
        desk.bridged("1003", "c-1")
        await clock.sleep(4)
        assert desk.heard("1001", "1404") == ["1404"]  # never logged in: must log in first
        await clock.sleep(3)  # 1002 and 1003 last heard 7 s ago, 1001 3 s ago
        assert [s.agent_id for s in desk.seats()] == ["1001"]
        live = await desk.roll_call()
        assert [s.agent_id for s in live] == ["1001"]
        # 1002 is logged out and out of the queue; 1003 keeps its call until it ends.
        assert _states(session_factory) == {
            "1001": SeatState.READY, "1002": SeatState.LOGGED_OUT, "1003": SeatState.ON_CALL,
        }  # fmt: skip
        assert "1002" not in net.ready_seats("renewals")
        await desk.call_ended("1003", "c-1")
        assert await desk.expire_lapsed() == ["1003"]
        assert desk.heard("1002") == ["1002"]  # a lapsed agent is told to log in again
        await net.close()

    run_virtual(main())
