"""``xubao campaign create|start|pause|stop|list``: set up campaigns and move them along."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.commands._common import parse_instant
from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules
from config.messages import Messages
from config.settings import Settings
from dialer.campaigns import CampaignSpec, create_campaign, set_campaign_status
from dialer.models import Campaign, CampaignMode, CampaignStatus

_STATUS = {
    "start": CampaignStatus.RUNNING,
    "pause": CampaignStatus.PAUSED,
    "stop": CampaignStatus.STOPPED,
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    campaign = sub.add_parser("campaign", help="dialing campaigns")
    verbs = campaign.add_subparsers(dest="campaign_command", required=True)
    create = verbs.add_parser("create", help="a new campaign (draft)")
    create.add_argument("id")
    create.add_argument("--name", required=True)
    create.add_argument("--mode", choices=[m.value for m in CampaignMode], default="predictive")
    create.add_argument("--queue", required=True, help="the Asterisk queue of its agents")
    create.add_argument("--stage", action="append", default=[], help="lead stages (repeat)")
    create.add_argument("--region", action="append", default=[], help="customer regions (repeat)")
    create.add_argument("--owner", help="only leads owned by this agent")
    create.add_argument("--abandon-cap-pct", type=float, default=3.0)
    create.add_argument("--max-lines-per-agent", type=float, default=3.0)
    create.add_argument("--ring-timeout-s", type=int, default=25)
    create.add_argument("--caller-id", action="append", default=[], help="caller-ID pool (repeat)")
    create.add_argument("--caller-id-daily-cap", type=int, default=300)
    create.add_argument(
        "--hours", type=_hours, help="calling window HH:MM-HH:MM, inside the rules' window"
    )
    create.set_defaults(handler=run_create)
    for verb in _STATUS:
        change = verbs.add_parser(verb, help=f"{verb} the campaign")
        change.add_argument("id")
        change.set_defaults(handler=run_status, status=_STATUS[verb])
    listing = verbs.add_parser("list", help="every campaign")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)


def _hours(text: str) -> tuple[str, str]:
    start, dash, end = text.partition("-")
    if not dash:
        raise argparse.ArgumentTypeError(f"{text!r} is not HH:MM-HH:MM, e.g. 09:00-20:00")
    return start.strip(), end.strip()


def run_create(args: argparse.Namespace, settings: Settings) -> int:
    start, end = args.hours or (None, None)
    rules = cadence_rules(settings.cadence)
    spec = CampaignSpec(
        id=args.id,
        name=args.name,
        mode=CampaignMode(args.mode),
        queue=args.queue,
        stages=tuple(args.stage),
        regions=tuple(args.region),
        owner=args.owner,
        abandon_cap_pct=args.abandon_cap_pct,
        max_lines_per_agent=args.max_lines_per_agent,
        ring_timeout_s=args.ring_timeout_s,
        caller_ids=tuple(args.caller_id),
        caller_id_daily_cap=args.caller_id_daily_cap,
        calling_start=start,
        calling_end=end,
    )
    window = (rules.calling_start, rules.calling_end)
    created = _write(
        settings, lambda s, now: create_campaign(s, spec, now=now, allowed_hours=window)
    )
    print(Messages(args.lang).text("campaign {campaign}: created (draft)", campaign=created))
    return 0


def run_status(args: argparse.Namespace, settings: Settings) -> int:
    changed = _write(settings, lambda s, now: set_campaign_status(s, args.id, args.status, now=now))
    print(
        Messages(args.lang).text(
            "campaign {campaign}: status is now {status}",
            campaign=changed,
            status=args.status.value,
        )
    )
    return 0


def _write(settings: Settings, change: Callable[[Session, datetime], Campaign]) -> str:
    """Apply ``change`` in one transaction; its CampaignError reaches the CLI's boundary."""
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            return change(session, parse_instant(None, settings.timezone)).id
    finally:
        engine.dispose()


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine)() as session:
            rows = [
                {
                    "id": c.id,
                    "name": c.name,
                    "mode": c.mode.value,
                    "status": c.status.value,
                    "queue": c.queue,
                    "abandon_cap_pct": c.abandon_cap_pct,
                }
                for c in session.scalars(select(Campaign).order_by(Campaign.id))
            ]
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(f"{r['id']:<16} {r['name']:<16} {r['mode']:<12} {r['status']:<8} {r['queue']}")
    return 0
