"""``xubao serve [--host H] [--port P] [--campaign ID …] [--with-runtime]``: the consoles.

With the in-memory bus it runs the campaigns' runtimes too; with ``XUBAO_BUS_URL`` (Redis) only
when ``--with-runtime`` is given: otherwise each campaign's runtime is ``xubao dialer run``,
and the agents' seat actions reach it over the bus. Runs until SIGINT/SIGTERM.
``--day-start HH:MM`` runs the clock from that local time today (a demo after calling hours);
never use it in production.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, time
from zoneinfo import ZoneInfo

from config.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="the web consoles (and the campaigns' runtimes)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="0: any free port")
    serve.add_argument(
        "--campaign", action="append", default=[], help="serve this campaign (default: all)"
    )
    serve.add_argument(
        "--with-runtime",
        action="store_true",
        help="run the campaigns' runtimes here too (always so without XUBAO_BUS_URL)",
    )
    serve.add_argument("--day-start", help="demo only: the clock starts at HH:MM local time")
    serve.add_argument(
        "--bots", type=int, default=0, help="simulated agents on the first campaign (simulated)"
    )
    serve.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from agent_console.texts import translator
    from config.serve import serve_console
    from config.web import ShiftedClock
    from renewals.clock import Clock, SystemClock
    from renewals.i18n import environment_language

    _ = translator(environment_language())
    clock: Clock = SystemClock()
    if args.day_start:
        zone = ZoneInfo(settings.timezone)
        start = datetime.combine(
            datetime.now(zone).date(), time.fromisoformat(args.day_start), tzinfo=zone
        )
        clock = ShiftedClock(start)

    def ready(url: str) -> None:
        print(_("Console at {url}").format(url=url), flush=True)

    try:
        asyncio.run(
            serve_console(
                settings,
                host=args.host,
                port=args.port,
                campaign_ids=args.campaign,
                clock=clock,
                on_ready=ready,
                bots=args.bots,
                with_runtime=args.with_runtime,
            )
        )
    except LookupError as exc:
        print(_("Error: {message}").format(message=exc), flush=True)
        return 2
    return 0
