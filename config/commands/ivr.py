"""``xubao ivr …``: check flows and prompts, synthesise prompts, run the Stasis app, try a
flow on the simulated network, place the reminder calls once.

The IVR's modules (httpx, websockets, the engine) are imported by the handlers, not here:
every ``xubao`` command builds this parser, and its start-up stays quick.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from pathlib import Path

from config.commands._common import iso_time, parse_instant
from config.db import create_db_engine
from config.settings import Settings
from ivr.flow import FLOW_FOR
from ivr.prompt_check import IVR_LANGUAGES
from renewals.i18n import Catalog, environment_language

__all__ = ["register"]

CATALOG = Catalog(Path(__file__).resolve().parents[2] / "ivr" / "locale", "ivr")


def _(message: str) -> str:
    return CATALOG.gettext(message, environment_language())


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ivr = sub.add_parser("ivr", help="the IVR: flows, prompts, the ARI app, reminder calls")
    ivr_sub = ivr.add_subparsers(dest="ivr_command", required=True)
    check = ivr_sub.add_parser("check", help="load the flows and list missing prompt files")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=run_check)
    prompts = ivr_sub.add_parser("prompts", help="speak missing prompts with espeak-ng")
    prompts.add_argument("--language", choices=IVR_LANGUAGES, action="append")
    prompts.set_defaults(handler=run_prompts)
    run = ivr_sub.add_parser("run", help="run the Stasis app on Asterisk until Ctrl-C")
    run.set_defaults(handler=run_app)
    sim = ivr_sub.add_parser("simulate", help="one flow on the simulated network, stored")
    sim.add_argument("kind", choices=sorted(FLOW_FOR))
    who = sim.add_mutually_exclusive_group(required=True)
    who.add_argument("--lead", type=int, help="the lead a reminder call is for")
    who.add_argument("--caller", help="the caller's number (inbound)")
    sim.add_argument("--keys", default="", help="the customer's answers: 2,1 or silence,9,1")
    sim.add_argument("--at", help="ISO time (default now)")
    sim.set_defaults(handler=run_simulate)
    remind = ivr_sub.add_parser("remind", help="place the reminder calls due now, once")
    remind.add_argument("--at", type=iso_time, help="ISO time (default now)")
    remind.set_defaults(handler=run_remind)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    from config.ivr import configured_flows, report_missing_prompts
    from ivr.errors import IvrError

    try:
        flows = configured_flows(settings)
    except IvrError as exc:
        print(_("Flows are invalid: {error}").format(error=exc), file=sys.stderr)
        return 2
    missing = report_missing_prompts(settings, flows)
    if args.json:
        print(json.dumps({"flows": sorted(flows), "missing_prompts": missing}, indent=2))
    else:
        print(_("{count} flow(s): {names}").format(count=len(flows), names=", ".join(flows)))
        print(_("{count} prompt file(s) missing under {dir}").format(
            count=len(missing), dir=settings.resolved_prompt_dir))  # fmt: skip
        for name in missing[:20]:
            print(f"  {name}")
    return 1 if missing else 0


def run_prompts(args: argparse.Namespace, settings: Settings) -> int:
    from config.ivr import configured_flows
    from ivr.prompt_check import synthesize

    flows = configured_flows(settings).values()
    for language in args.language or IVR_LANGUAGES:
        written = synthesize(flows, settings.resolved_prompt_dir, language)
        print(_("{count} prompt(s) written for {language}").format(
            count=len(written), language=language))  # fmt: skip
    return 0


def run_app(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_db_engine(settings.resolved_database_url)

    async def serve() -> None:
        from config.ivr import ari_settings, build_ari_ivr, ivr_bus
        from ivr.ari import AriRest
        from renewals.clock import SystemClock

        clock = SystemClock()
        # The sessions are announced on the node's bus (XUBAO_BUS_URL) for the supervisors.
        async with (
            ivr_bus(settings, clock) as bus,
            AriRest(settings=ari_settings(settings)) as rest,
        ):
            await build_ari_ivr(settings, engine, rest, clock, bus=bus).run()

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve())
    finally:
        engine.dispose()
    return 0


def run_simulate(args: argparse.Namespace, settings: Settings) -> int:
    from config.ivr import configured_flows, ivr_sessions
    from ivr.engine import FlowEngine
    from ivr.errors import IvrError
    from ivr.prompt_check import prompt_texts
    from ivr.simulated import CustomerProfile, ScriptedCustomer, SimulatedCall
    from renewals.clock import FixedClock

    clock = FixedClock(parse_instant(args.at, settings.timezone))
    engine = create_db_engine(settings.resolved_database_url)
    try:
        sessions = ivr_sessions(settings, engine)
        call_id = f"sim-{args.kind}-{clock.now():%Y%m%d%H%M%S}"
        if args.lead is not None:
            ctx = sessions.for_lead(call_id, args.lead, args.kind, language=settings.ivr.language)
        else:
            ctx = sessions.for_caller(call_id, args.caller, language=settings.ivr.language)
        answers = tuple(a for a in args.keys.split(",") if a)
        customer = ScriptedCustomer(CustomerProfile(answers=answers))
        line = SimulatedCall(call_id=call_id, customer=customer, clock=clock)
        started = clock.now()
        engine_ = FlowEngine(flows=configured_flows(settings), clock=clock)
        result = asyncio.run(engine_.run(FLOW_FOR[args.kind], ctx, line))
        stored = sessions.record(ctx, result, started_at=started, at=clock.now())
    except (IvrError, ValueError) as exc:
        print(_("Cannot run the flow: {error}").format(error=exc), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    texts = prompt_texts(ctx.language)
    for event in line.events:
        print(("▶ " if event.menu else "  ") + "".join(texts.get(p, p) for p in event.prompts))
    print(_("Path: {steps}").format(steps=" → ".join(result.steps)))
    print(_("Outcome: {outcome}").format(outcome=stored.outcome or "-"))
    return 0


def run_remind(args: argparse.Namespace, settings: Settings) -> int:
    from config.jobs import RUN_LOG, reminder_calls
    from renewals.clock import FixedClock

    engine = create_db_engine(settings.resolved_database_url)
    try:
        RUN_LOG.create(engine, checkfirst=True)
        run = reminder_calls(
            engine, settings, FixedClock(parse_instant(args.at, settings.timezone))
        )
    finally:
        engine.dispose()
    print(_("Reminder calls: {detail}").format(detail=run.detail))
    return 0
