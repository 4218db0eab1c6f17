"""A paused recording is resumed by the runtime when the console that paused it is gone.

The console resumes a pause at ``recording_pause_limit_s``; if its process died in the pause,
the runtime following the call resumes it ``recording_pause_grace_s`` later through its port
and closes the pause row ``limit``; a pause still open when the call ends is closed with it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config.shift import compose_runtime
from dialer.models import CampaignMode
from dialer.recording_pauses import RecordingPause, open_pause
from dialer.runtime import RuntimeOptions
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from dialer.telephony.events import CallBridged, CallHungUp, RecordingPauseChanged
from renewals.cadence.rules import CadenceRules
from tests.integration.dialer.runtime.campaign_process import START, beating_console, seed_book
from tests.integration.dialer.simulated.support import only

TALK = {"mean": 120, "sd": 1}


def _shift(
    sessions: sessionmaker[Session], tmp_path: Path, limit_s: float | None
) -> tuple[list[tuple[datetime, object]], datetime]:
    """One call; 20 s into the talk its recording is paused by a console that then dies."""

    async def main() -> tuple[list[tuple[datetime, object]], datetime]:
        clock = VirtualClock(start=START)
        net = SimulatedNetwork(
            profile=only("human", talk_s=TALK), clock=clock, seed=1, recordings_dir=tmp_path
        )
        await net.start()
        options = replace(RuntimeOptions(), recording_pause_limit_s=limit_s)
        runtime, desk = compose_runtime(
            sessions=sessions, port=net, clock=clock, campaign_id="q4", owner="r1",
            rules=CadenceRules(), options=options,
        )  # fmt: skip
        await runtime.start()
        seen: list[tuple[datetime, object]] = []
        paused_at: list[datetime] = []

        async def dying_console() -> None:
            async for event in net.events():
                seen.append((clock.now(), event))
                if isinstance(event, CallBridged) and not paused_at:
                    await clock.sleep(20)
                    await net.pause_recording(event.call_id, paused=True)
                    paused_at.append(clock.now())
                    with sessions.begin() as s:
                        open_pause(s, call_id=event.call_id, agent_id="1001", at=clock.now())
                    # ... and the console's process is gone: nothing resumes it here.

        watching = asyncio.create_task(dying_console())
        console = asyncio.create_task(beating_console(desk, clock, "1001"))
        running = asyncio.create_task(runtime.run())
        await clock.sleep(300)
        runtime.stop()
        await running
        console.cancel()
        watching.cancel()
        await net.close()
        return seen, paused_at[0]

    return run_virtual(main())


def _pause_row(sessions: sessionmaker[Session]) -> RecordingPause:
    with sessions() as s:
        return s.scalars(select(RecordingPause)).one()


def test_the_runtime_resumes_a_pause_its_console_left(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=1, mode=CampaignMode.PROGRESSIVE, now=START, zone="Asia/Shanghai")
    seen, paused_at = _shift(session_factory, tmp_path, limit_s=30)
    changes = [(at, e.paused) for at, e in seen if isinstance(e, RecordingPauseChanged)]
    assert [paused for _, paused in changes] == [True, False]
    resumed_after = (changes[1][0] - paused_at).total_seconds()
    assert 35 <= resumed_after <= 37  # the limit, the grace (5 s), then the next tick
    hung_up = next(at for at, e in seen if isinstance(e, CallHungUp))
    assert changes[1][0] < hung_up  # resumed while the customer was still talking
    row = _pause_row(session_factory)
    assert row.ended_by == "limit" and row.duration_s is not None
    assert 35 <= row.duration_s <= 37


def test_a_pause_left_open_is_closed_when_the_call_ends(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=1, mode=CampaignMode.PROGRESSIVE, now=START, zone="Asia/Shanghai")
    seen, _ = _shift(session_factory, tmp_path, limit_s=None)  # no watch: paused to the end
    changes = [e.paused for _, e in seen if isinstance(e, RecordingPauseChanged)]
    assert changes == [True]
    hung_up = next(at for at, e in seen if isinstance(e, CallHungUp))
    row = _pause_row(session_factory)
    assert row.ended_by == "call_end"
    assert row.ended_at is not None and abs((row.ended_at - hung_up).total_seconds()) <= 1
