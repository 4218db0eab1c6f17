"""The AMI link lost during a campaign, as the supervisors see it: over real TCP the scripted
Asterisk is killed mid-campaign and brought back. The console's floor (the production wiring:
``AmiTelephony`` → ``PortBridge`` → ``BusRelay`` → bus → the app's ``SupervisorConsole``) shows
the link-down alert at once, with the time the link was lost, then the recovery and the time lost.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from agent_console.floor import CampaignFloor, Floor
from agent_console.supervisor_feed import SupervisorConsole
from config.bus import BusRelay, PortBridge
from config.settings import Settings
from config.shift import agent_bots, compose_runtime
from config.web import create_app
from dialer.asterisk.adapter import AmiTelephony
from dialer.bus.memory import MemoryBus
from dialer.models import CampaignMode
from dialer.runtime import RuntimeOptions
from dialer.simulated import Lognormal
from renewals.cadence.rules import CadenceRules
from tests.integration.dialer.asterisk.support import settings_for
from tests.integration.dialer.runtime.campaign_process import START, seed_book
from tests.integration.dialer.runtime.scripted_ami import ScriptedAsterisk
from tests.integration.dialer.runtime.test_ami_outage import RunningClock

AGENTS = 2


async def _feed_until(
    console: SupervisorConsole, check: str, *, timeout_s: float = 30
) -> dict[str, object]:
    """The floor messages, as the websocket sends them (woken by the floor's changes), until one
    passes ``check`` ("down", "up" or "talking")."""
    version = -1
    async with asyncio.timeout(timeout_s):
        while True:
            version = await console.floor.changed(version, timeout_s=1.0)
            message = console.message()
            link = message["link"]
            assert isinstance(link, dict)
            seats = message["seats"]
            assert isinstance(seats, list)
            if check == "down" and not link["up"]:
                return message
            if check == "up" and link["up"] and link["last_up"]:
                return message
            if check == "talking" and any(s["state"] == "on_call" for s in seats):
                return message


def test_supervisors_see_the_ami_link_lost_mid_campaign_then_recovered(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=200, mode=CampaignMode.PROGRESSIVE, now=START, zone="Asia/Shanghai")
    asterisk = ScriptedAsterisk(queue="renewals")
    seen: dict[str, object] = {}

    async def main() -> None:
        clock = RunningClock()
        ami = AmiTelephony(
            settings=settings_for(await asterisk.start(), backoff_initial_s=0.1,
                                  backoff_max_s=0.3),
            clock=clock,
        )  # fmt: skip
        bus = MemoryBus()
        relay = BusRelay(bus=bus, clock=clock)
        bridge = PortBridge(port_events=ami.events, relay=relay, clock=clock)
        await ami.start()
        runtime, desk = compose_runtime(
            sessions=session_factory, port=ami, clock=clock, campaign_id="q4", owner="r1",
            rules=CadenceRules(), options=RuntimeOptions(tick_s=0.2, record_calls=False),
            on_seat_change=relay.post,
        )  # fmt: skip
        await runtime.start()
        floor = Floor({"q4": CampaignFloor(campaign_id="q4", desk=desk, port=ami, runtime=runtime)})
        app = create_app(
            Settings.load(data_dir=tmp_path), sessions=session_factory, bus=bus, floor=floor,
            clock=clock,
        )  # fmt: skip
        console: SupervisorConsole = app.state.supervisor
        bots = agent_bots(
            sessions=session_factory, desk=desk, clock=clock, rules=CadenceRules(),
            agents=AGENTS, wrap=Lognormal(mean=0.3, sd=0.1), seed=3,
        )  # fmt: skip
        async with asyncio.TaskGroup() as group:
            tasks = [
                group.create_task(relay.run()),
                group.create_task(bridge.run()),
                group.create_task(console.run()),
            ]
            bot_events = ami.events()
            await bots.login_all()
            tasks.append(group.create_task(bots.run(bot_events, resubscribe=ami.events)))
            run = group.create_task(runtime.run())
            seen["talking"] = await _feed_until(console, "talking")  # the campaign is dialing
            killed_at = clock.now()
            await asterisk.kill()
            seen["down"] = await _feed_until(console, "down", timeout_s=5)
            seen["down_seen_s"] = (clock.now() - killed_at).total_seconds()
            await asyncio.sleep(1.0)  # Asterisk away for a while
            await asterisk.revive()
            seen["up"] = await _feed_until(console, "up")
            seen["killed_at"] = killed_at
            runtime.stop()
            await run
            for task in tasks:
                task.cancel()
        await ami.close()
        await asterisk.close()

    asyncio.run(main())
    down = seen["down"]
    assert isinstance(down, dict)
    alerts = down["alerts"]
    assert isinstance(alerts, list)
    # The alert comes first, at once, with the time the link was lost.
    assert alerts[0]["kind"] == "link_down"
    killed_at = seen["killed_at"]
    assert isinstance(killed_at, datetime)
    lost_at = datetime.fromisoformat(str(alerts[0]["since"]))
    assert 0 <= (lost_at - killed_at).total_seconds() < 2
    assert float(str(seen["down_seen_s"])) < 2
    up = seen["up"]
    assert isinstance(up, dict)
    assert not [a for a in up["alerts"] if a["kind"] == "link_down"]
    link = up["link"]
    assert link["up"] is True and link["last_down"] == alerts[0]["since"]
    assert float(link["last_lost_s"]) >= 1  # the outage lasted the second Asterisk was away
