"""``xubao recordings register|verify|purge``: the recording store's jobs."""

from __future__ import annotations

import argparse
import json

from config import recordings as wiring
from config.db import create_db_engine, make_session_factory
from config.settings import Settings
from renewals.clock import SystemClock

# The recordings part (numpy, soundfile) is imported by the handlers: other commands start fast.


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("recordings", help="recording store: register, verify, purge")
    rec = cmd.add_subparsers(dest="recordings_command", required=True)
    reg = rec.add_parser("register", help="store the recordings of finished calls")
    reg.add_argument("--limit", type=int, default=1000)
    reg.set_defaults(handler=run_register)
    ver = rec.add_parser("verify", help="report missing, truncated or altered files")
    ver.add_argument("--json", action="store_true")
    ver.set_defaults(handler=run_verify)
    pur = rec.add_parser("purge", help="remove recordings past retention and not on hold")
    pur.add_argument("--dry-run", action="store_true")
    pur.set_defaults(handler=run_purge)


def run_register(args: argparse.Namespace, settings: Settings) -> int:
    from recordings.qa.sampling import sample_for_review
    from recordings.registration import register_finished_calls

    engine = create_db_engine(settings.resolved_database_url)
    try:
        report = register_finished_calls(
            make_session_factory(engine),
            wiring.store(settings),
            wiring.registration_options(settings),
            now=SystemClock().now(),
            limit=args.limit,
            after_register=sample_for_review,
        )
    finally:
        engine.dispose()
    print(wiring.say("{count} recordings registered", count=len(report.registered)))
    for attempt_id, why in report.failed.items():
        print(wiring.say("attempt {attempt}: not registered: {why}", attempt=attempt_id, why=why))
    return 1 if report.failed else 0


def run_verify(args: argparse.Namespace, settings: Settings) -> int:
    from recordings.upkeep import verify

    engine = create_db_engine(settings.resolved_database_url)
    found = []
    try:
        with make_session_factory(engine)() as session:
            for problem in verify(session, wiring.store(settings)):
                found.append(problem)
                if not args.json:
                    print(
                        wiring.say(
                            "recording {id} (call {call}): {problem}: {path} ({detail})",
                            id=problem.recording_id,
                            call=problem.call_id,
                            problem=wiring.say(problem.problem.value),
                            path=problem.path,
                            detail=problem.detail,
                        )
                    )
    finally:
        engine.dispose()
    if args.json:
        rows = [
            {
                "recording": p.recording_id,
                "call": p.call_id,
                "path": p.path,
                "problem": p.problem.value,
                "detail": p.detail,
            }
            for p in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(wiring.say("{count} problems found", count=len(found)))
    return 1 if found else 0


def run_purge(args: argparse.Namespace, settings: Settings) -> int:
    from recordings.upkeep import purge

    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            removed = purge(
                session, wiring.store(settings), now=SystemClock().now(), dry_run=args.dry_run
            )
            lines = [(r.id, r.call_id, r.retain_until) for r in removed]
    finally:
        engine.dispose()
    template = "would purge recording {id} (call {call}, kept until {until})"
    if not args.dry_run:
        template = "purged recording {id} (call {call}, kept until {until})"
    for rec_id, call_id, until in lines:
        print(wiring.say(template, id=rec_id, call=call_id, until=until.date().isoformat()))
    print(wiring.say("{count} recordings past retention", count=len(lines)))
    return 0
