"""``xubao dialer run --campaign ID``: the campaign runtime on the configured telephone network.

It runs until SIGINT/SIGTERM, then stops dialing and follows the calls still up to their stored
outcome. ``--bots N`` logs N simulated agents in through the seat desk: a live demo on the
simulated network, a lab or load test on Asterisk (their phones, from
``XUBAO_AGENT_INTERFACE_TEMPLATE``, must answer by themselves). The bots send seat heartbeats
while they run and log out when it stops; if the process is killed, their seats lapse after
``seat_lapse_s`` and no later runtime dials for them. Every event of the telephony port, each
call placed and every seat change is published on the event bus (``XUBAO_BUS_URL``), where the
consoles' web processes follow them; the seat and call actions of their agents come back as
bus commands, applied to this process's telephony port (``PortCommandServer``). At start the
seats already logged in (through a console) are put in the backend's queue.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import socket
from typing import TYPE_CHECKING

from config.commands._common import non_negative_int, require_running
from config.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from config.bus import BusRelay
    from dialer.runtime import CampaignRuntime
    from dialer.seats import SeatDesk
    from dialer.simulated.agents import AgentBots
    from dialer.telephony import TelephonyPort
    from renewals.cadence.rules import CadenceRules
    from renewals.clock import Clock

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dialer = sub.add_parser("dialer", help="the campaign runtime")
    verbs = dialer.add_subparsers(dest="dialer_command", required=True)
    run_p = verbs.add_parser("run", help="dial a running campaign until interrupted")
    run_p.add_argument("--campaign", required=True)
    run_p.add_argument("--owner", help="this runtime's lease name (default host-campaign)")
    run_p.add_argument("--bots", type=non_negative_int, default=0, help="simulated agents (bots)")
    run_p.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    # The telephony stack is imported only when the dialer runs: other commands start faster.
    from config.bus import BusRelay, PortBridge, build_bus
    from config.db import create_db_engine, make_session_factory
    from config.domain import cadence_rules
    from config.shift import compose_runtime
    from config.telephony import build_telephony, runtime_options
    from dialer.bus import PortCommandServer
    from dialer.floor import AnnouncingPort
    from renewals.clock import SystemClock

    # Ctrl-C during start-up is a clean stop too, never a traceback.
    loop = asyncio.get_running_loop()
    early_stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, early_stop.set)
    clock = SystemClock()
    rules = cadence_rules(settings.cadence)
    engine = create_db_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    try:
        require_running(sessions, args.campaign)  # before any call: never a silent no-op
    except BaseException:
        engine.dispose()
        raise
    owner = args.owner or f"{socket.gethostname()}-{args.campaign}"
    bus = build_bus(settings, clock, client_name=f"xubao-runtime-{args.campaign}")
    relay = BusRelay(bus=bus, clock=clock)
    # Each call placed is announced on the bus (the supervisors' floor counts lines dialing).
    port = AnnouncingPort(port=build_telephony(settings, clock), post=relay.post, clock=clock)
    await port.start()
    try:
        bridge = PortBridge(port_events=port.events, relay=relay, clock=clock)
        commands = PortCommandServer(bus=bus, port=port, campaign_ids=[args.campaign], clock=clock)
        runtime, desk = compose_runtime(
            sessions=sessions, port=port, clock=clock, campaign_id=args.campaign, owner=owner,
            rules=rules, options=runtime_options(settings), on_seat_change=relay.post,
        )  # fmt: skip
        await runtime.start()
        await desk.rejoin()  # agents logged in through a console before this runtime started
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, runtime.stop)
        if early_stop.is_set():
            runtime.stop()
        bots = _bots(args, settings, sessions=sessions, desk=desk, clock=clock, rules=rules)
        log.info("campaign %s: runtime %s dialing; Ctrl-C stops it", args.campaign, owner)
        # Said on stdout too: INFO lines are off unless -v, and a silent start looks hung.
        print(_dialing_line(args, settings), flush=True)
        async with asyncio.TaskGroup() as group:
            relaying = group.create_task(relay.run(), name="bus-relay")
            bridging = group.create_task(bridge.run(), name="bus-bridge")
            commanding = group.create_task(commands.run(), name="port-commands")
            try:
                await _dial(runtime, bots, port)
            finally:
                commanding.cancel()
                bridging.cancel()
                await _drain(relay)
                relaying.cancel()
    finally:
        await port.close()
        await bus.close()
        engine.dispose()
    return 0


def _bots(
    args: argparse.Namespace,
    settings: Settings,
    *,
    sessions: sessionmaker[Session],
    desk: SeatDesk,
    clock: Clock,
    rules: CadenceRules,
) -> AgentBots | None:
    if not args.bots:
        return None
    from config.shift import agent_bots
    from config.telephony import default_sim_profile
    from dialer.simulated import SimProfile

    profile = SimProfile.load(settings.sim_profile or default_sim_profile())
    return agent_bots(
        sessions=sessions, desk=desk, clock=clock, rules=rules, agents=args.bots,
        wrap=profile.wrap_s, seed=settings.sim_seed,
    )  # fmt: skip


async def _dial(runtime: CampaignRuntime, bots: AgentBots | None, port: TelephonyPort) -> None:
    """Run until stopped; the bots (if any) take calls meanwhile and log out at the end."""
    if bots is None:
        await runtime.run()
        return
    events = port.events()
    await bots.login_all()
    async with asyncio.TaskGroup() as group:
        team = group.create_task(bots.run(events, resubscribe=port.events), name="agent-bots")
        try:
            await runtime.run()
        finally:
            team.cancel()
            await asyncio.wait({team})  # no heartbeat or wrap-up may undo the logout
            await bots.logout_all()  # nobody may be dialed for once we are gone


def _dialing_line(args: argparse.Namespace, settings: Settings) -> str:
    from config.messages import Messages

    return Messages(args.ui_lang).text(
        "campaign {campaign}: dialing on the {network} network; Ctrl-C stops it",
        campaign=args.campaign,
        network=settings.telephony,
    )


async def _drain(relay: BusRelay) -> None:
    """Publish what the last calls left behind, but never hang the shutdown on the broker."""
    try:
        async with asyncio.timeout(5.0):
            await relay.drained()
    except TimeoutError:
        log.warning("%d bus event(s) not published at shutdown", relay.waiting)
