"""The outage of issue 9's "Done when", over real TCP: the AMI server is killed mid-campaign
and brought back (empty queue, as after a restart). The runtime keeps running, pauses dialing
while the link is down (no attempt closed ``failed``), re-adds the seats (``QueueAdd`` again),
adopts or closes the calls per the re-sync, and resumes.

The production stack end to end: ``AmiTelephony`` (reconnect, re-sync, ``LinkStatusChanged``),
the campaign runtime, the seat desk and agent bots, against ``ScriptedAsterisk``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from config.shift import agent_bots, compose_runtime
from dialer.asterisk.adapter import AmiTelephony
from dialer.models import CampaignMode
from dialer.runtime import RuntimeOptions
from dialer.simulated import Lognormal
from dialer.telephony.events import CallBridged, CallHungUp, LinkStatusChanged, PortEvent
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt
from tests.integration.dialer.asterisk.support import settings_for
from tests.integration.dialer.runtime.campaign_process import START, midday_zone, seed_book
from tests.integration.dialer.runtime.scripted_ami import ScriptedAsterisk
from tests.integration.dialer.runtime.test_stops_are_safe import ROOT

QUEUE = "renewals"
AGENTS = ("1001", "1002", "1003")


class RunningClock:
    """Real time (the AMI session is real TCP), told from START so calling hours are open."""

    def __init__(self) -> None:
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return START + timedelta(seconds=time.monotonic() - self._t0)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class Watch:
    """What the port says, as the runtime hears it: conversations ended, link changes."""

    def __init__(self) -> None:
        self.talking: set[str] = set()
        self.talked = 0
        self.links: list[bool] = []
        self._changed = asyncio.Condition()

    async def follow(self, events: AsyncIterator[PortEvent]) -> None:
        async for event in events:
            if isinstance(event, CallBridged):
                self.talking.add(event.call_id)
            elif isinstance(event, CallHungUp) and event.call_id in self.talking:
                self.talking.discard(event.call_id)
                self.talked += 1
            elif isinstance(event, LinkStatusChanged):
                self.links.append(event.up)
            async with self._changed:
                self._changed.notify_all()

    async def until(self, condition: Callable[[], bool], *, timeout_s: float = 60) -> None:
        async with asyncio.timeout(timeout_s), self._changed:
            await self._changed.wait_for(condition)


def _attempts(sessions: sessionmaker[Session]) -> list[ContactAttempt]:
    with sessions() as s:
        return list(s.scalars(select(ContactAttempt).order_by(ContactAttempt.id)))


def test_ami_server_killed_mid_campaign_and_brought_back(
    session_factory: sessionmaker[Session], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dialer.runtime")
    with session_factory.begin() as s:
        seed_book(s, leads=400, mode=CampaignMode.PREDICTIVE, now=START, zone="Asia/Shanghai")
    asterisk = ScriptedAsterisk(queue=QUEUE)
    marks: dict[str, datetime] = {}
    seen: dict[str, object] = {}

    async def main() -> None:
        clock = RunningClock()
        port = await asterisk.start()
        ami = AmiTelephony(
            settings=settings_for(port, backoff_initial_s=0.1, backoff_max_s=0.3), clock=clock
        )
        await ami.start()
        runtime, desk = compose_runtime(
            sessions=session_factory, port=ami, clock=clock, campaign_id="q4", owner="r1",
            rules=CadenceRules(), options=RuntimeOptions(tick_s=0.2, record_calls=False),
        )  # fmt: skip
        await runtime.start()
        bots = agent_bots(
            sessions=session_factory, desk=desk, clock=clock, rules=CadenceRules(),
            agents=len(AGENTS), wrap=Lognormal(mean=0.3, sd=0.1), seed=3,
        )  # fmt: skip
        bot_events = ami.events()
        watch = Watch()
        watcher = asyncio.create_task(watch.follow(ami.events()))
        await bots.login_all()
        bot_task = asyncio.create_task(bots.run(bot_events, resubscribe=ami.events))
        run = asyncio.create_task(runtime.run())
        # Some conversations over, and one going on (talk times alternate 0.4 s and 3 s).
        await watch.until(lambda: watch.talked >= 4 and bool(watch.talking))
        seen["in_flight"] = {a.call_id for a in _attempts(session_factory) if a.outcome is None}
        await asterisk.kill()
        # From the moment the client knows: a dial already on its way when the socket closed
        # is refused as unavailable (another test checks it), not "dialled while down".
        await watch.until(lambda: watch.links == [False])
        marks["down"] = clock.now()
        await asyncio.sleep(1.5)  # Asterisk away: ticks go on, wrap-ups end, nothing dials
        marks["revived"] = clock.now()
        asterisk.actions.clear()
        await asterisk.revive()
        await watch.until(lambda: watch.links == [False, True])
        talked_before = watch.talked
        await watch.until(lambda: watch.talked >= talked_before + 3)  # dialing resumed
        seen["resumed"] = runtime.link_up
        seen["actions"] = list(asterisk.actions)
        seen["run_done_early"] = run.done()
        runtime.stop()
        await run
        assert not bot_task.done(), "the agent bots died"
        bot_task.cancel()
        await ami.close()
        await watcher
        await asterisk.close()

    asyncio.run(main())
    attempts = _attempts(session_factory)
    assert seen["run_done_early"] is False  # the runtime kept running through the outage
    assert seen["resumed"] is True
    # Nothing dialed while the link was down, nothing closed "failed" for the outage.
    assert not [a for a in attempts if marks["down"] <= a.started_at < marks["revived"]]
    assert [a.call_id for a in attempts if a.outcome == "failed"] == []
    assert all(a.outcome is not None for a in attempts)
    # The seats were added to the empty queue again, with their pause state.
    actions = seen["actions"]
    assert isinstance(actions, list)
    added = sorted(ScriptedAsterisk.agent_of(i) for a, i in actions if a == "QueueAdd")
    assert added == list(AGENTS)
    assert ("CoreShowChannels", "") in actions and ("QueueStatus", "") in actions
    # The calls in flight at the kill: each adopted or closed per the re-sync, none lost.
    in_flight = seen["in_flight"]
    assert isinstance(in_flight, set) and in_flight
    by_id = {a.call_id: a for a in attempts}
    settled = {"completed", "interrupted", "busy", "abandoned"}
    assert {by_id[c].outcome for c in in_flight if c in by_id} <= settled
    # An Originate cut off by the kill that Asterisk never had is withdrawn, lead un-attempted.
    withdrawn = [c for c in in_flight if c not in by_id]
    assert len(withdrawn) <= caplog.text.count("returned un-attempted")
    assert "re-synced" in caplog.text


def test_dialer_run_with_bots_on_asterisk_logs_its_seats_in_and_out(
    db_url: str, tmp_path: Path
) -> None:
    """`xubao dialer run --bots 2` against an Asterisk (issue 9: labs and load tests)."""
    engine = create_db_engine(db_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    with sessions.begin() as s:
        seed_book(
            s, leads=100, mode=CampaignMode.PROGRESSIVE, now=now, zone=midday_zone(now),
            expiry=(now + timedelta(days=30)).date(),
        )  # fmt: skip
    asterisk = ScriptedAsterisk(queue=QUEUE, talk_s=(0.3,))

    async def main() -> tuple[int | None, bytes]:
        port = await asterisk.start()
        env = {
            **os.environ, "PYTHONPATH": str(ROOT), "XUBAO_CONFIG_FILE": str(tmp_path / "no.toml"),
            "XUBAO_DATA_DIR": str(tmp_path / "var"), "XUBAO_DATABASE_URL": db_url,
            "XUBAO_TELEPHONY": "asterisk", "XUBAO_AMI_PORT": str(port),
            "XUBAO_CUSTOMER_DIAL_TEMPLATE": "Local/{number}@customer",
            "XUBAO_AGENT_INTERFACE_TEMPLATE": "Local/{agent}@agents/n",
        }  # fmt: skip
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "config.cli", "dialer", "run", "--campaign", "q4",
            "--bots", "2", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert proc.stderr is not None
        stderr = asyncio.create_task(proc.stderr.read())
        try:
            async with asyncio.timeout(90):
                while sum(a == "Hangup" for a, _i in asterisk.events_sent) < 3:
                    await asterisk.sent.wait()
                    asterisk.sent.clear()
            proc.send_signal(signal.SIGINT)
            async with asyncio.timeout(60):
                code = await proc.wait()
        finally:
            if proc.returncode is None:
                proc.kill()
            await asterisk.close()
        return code, await stderr

    code, err = asyncio.run(main())
    assert code == 0, err.decode()[-3000:]
    actions = asterisk.actions
    adds = sorted(ScriptedAsterisk.agent_of(i) for a, i in actions if a == "QueueAdd")
    removes = sorted(ScriptedAsterisk.agent_of(i) for a, i in actions if a == "QueueRemove")
    assert adds == removes == ["1001", "1002"]  # logged in through the desk, out at the stop
    attempts = [a for a in _attempts(sessions) if a.outcome == "completed"]
    assert attempts and {a.agent for a in attempts} <= {"1001", "1002"}
    engine.dispose()
