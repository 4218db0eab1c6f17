"""``xubao dialer run --campaign ID``: the campaign runtime on the configured telephone network.

It runs until SIGINT/SIGTERM, then stops dialing and follows the calls still up to their stored
outcome. ``--bots N`` logs N simulated agents in (simulated network only): a live demo. The bots
send seat heartbeats while they run and log out when it stops; if the process is killed, their
seats lapse after ``seat_lapse_s`` and no later runtime dials for them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import socket

from config.settings import Settings

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dialer = sub.add_parser("dialer", help="the campaign runtime")
    verbs = dialer.add_subparsers(dest="dialer_command", required=True)
    run_p = verbs.add_parser("run", help="dial a running campaign until interrupted")
    run_p.add_argument("--campaign", required=True)
    run_p.add_argument("--owner", help="this runtime's lease name (default host-campaign)")
    run_p.add_argument("--bots", type=int, default=0, help="simulated agents (simulated only)")
    run_p.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.bots and settings.telephony != "simulated":
        print("错误 error: --bots needs XUBAO_TELEPHONY=simulated")
        return 2
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    # The telephony stack is imported only when the dialer runs: other commands start faster.
    from config.db import create_db_engine, make_session_factory
    from config.domain import cadence_rules
    from config.shift import agent_bots, compose_runtime
    from config.telephony import build_telephony, default_sim_profile, runtime_options
    from dialer.simulated import SimProfile
    from renewals.clock import SystemClock

    clock = SystemClock()
    rules = cadence_rules(settings.cadence)
    engine = create_db_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    port = build_telephony(settings, clock)
    owner = args.owner or f"{socket.gethostname()}-{args.campaign}"
    await port.start()
    try:
        runtime, desk = compose_runtime(
            sessions=sessions, port=port, clock=clock, campaign_id=args.campaign, owner=owner,
            rules=rules, options=runtime_options(settings),
        )  # fmt: skip
        await runtime.start()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, runtime.stop)
        bots = None
        async with asyncio.TaskGroup() as group:
            bots_task = None
            if args.bots:
                profile = SimProfile.load(settings.sim_profile or default_sim_profile())
                bots = agent_bots(
                    sessions=sessions,
                    desk=desk,
                    clock=clock,
                    rules=rules,
                    agents=args.bots,
                    wrap=profile.wrap_s,
                    seed=settings.sim_seed,
                )
                events = port.events()
                await bots.login_all()
                bots_task = group.create_task(bots.run(events), name="agent-bots")
            log.info("campaign %s: runtime %s dialing; Ctrl-C stops it", args.campaign, owner)
            try:
                await runtime.run()
            finally:
                if bots_task is not None:
                    bots_task.cancel()
                if bots is not None:
                    await bots.logout_all()  # nobody may be dialed for once we are gone
    except LookupError as exc:
        print(f"错误 error: {exc}")
        return 2
    finally:
        await port.close()
        engine.dispose()
    return 0
