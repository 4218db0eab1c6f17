"""``xubao leads due``: whom to call now and why. ``xubao leads rebuild``: the daily job."""

from __future__ import annotations

import argparse
import json

from config.commands._common import iso_time, local, non_negative_int, parse_instant
from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules
from config.messages import Messages
from config.settings import Settings
from renewals.cadence import DueLead, find_due_leads, rebuild_renewal_list
from renewals.phones import mask_phone


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    leads = sub.add_parser("leads", help="the renewal list")
    leads_sub = leads.add_subparsers(dest="leads_command", required=True)
    due = leads_sub.add_parser("due", help="leads due for a call, in priority order")
    due.add_argument(
        "--at", type=iso_time, help="ISO time (default now; without offset: settings.timezone)"
    )
    due.add_argument("--limit", type=non_negative_int, default=50, help="show N leads (0: all)")
    due.add_argument("--json", action="store_true", help="machine-readable output")
    due.set_defaults(handler=run_due)
    rebuild = leads_sub.add_parser("rebuild", help="list policies entering T-60, move stages")
    rebuild.add_argument("--at", type=iso_time, help="ISO time (default now)")
    rebuild.set_defaults(handler=run_rebuild)


def _as_json(rank: int, lead: DueLead) -> dict[str, object]:
    d = lead.decision
    return {
        "rank": rank,
        "lead_id": d.lead_id,
        "plate": lead.plate,
        "customer": lead.customer_name,
        "phone": mask_phone(lead.phone),
        "end_date": lead.end_date.isoformat(),
        "days_left": d.days_left,
        "stage": d.stage.value if d.stage else None,
        "priority": d.priority,
        "reason": {"code": d.reason.code, "zh": d.reason.zh, "en": d.reason.en},
    }


def run_due(args: argparse.Namespace, settings: Settings) -> int:
    at = local(parse_instant(args.at, settings.timezone), settings.timezone)
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine)() as session:
            # All of them: the total is what a supervisor plans by, the limit only cuts the list.
            due = find_due_leads(session, at, cadence_rules(settings.cadence))
    finally:
        engine.dispose()
    shown = due[: args.limit] if args.limit else due
    rows = [_as_json(rank, lead) for rank, lead in enumerate(shown, 1)]
    if args.json:
        body = {"at": at.isoformat(), "total_due": len(due), "leads": rows}
        print(json.dumps(body, ensure_ascii=False, indent=2))
        return 0
    messages = Messages(args.ui_lang)
    _print_header(messages, total=len(due), shown=len(rows), at=at.isoformat())
    for row in rows:
        reason = row["reason"]
        assert isinstance(reason, dict)
        print(
            f"{row['rank']:>4} #{row['lead_id']:<7} {row['plate']:<10} {row['customer']:<8} "
            f"{row['phone']}  T-{row['days_left']:<3} {row['stage']:<10} p={row['priority']:<6} "
            f"{reason['en' if messages.language == 'en' else 'zh']}"
        )
    return 0


def _print_header(messages: Messages, *, total: int, shown: int, at: str) -> None:
    print(messages.plural("{n} lead due at {at}", "{n} leads due at {at}", total, at=at))
    if shown < total:
        print(messages.text("showing the first {shown} (--limit 0 shows all)", shown=shown))


def run_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    at = parse_instant(args.at, settings.timezone)
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            result = rebuild_renewal_list(session, at, cadence_rules(settings.cadence))
    finally:
        engine.dispose()
    print(
        Messages(args.ui_lang).text(
            "renewal list: {created} leads created, {moved} moved to a new stage",
            created=result.created,
            moved=result.moved,
        )
    )
    return 0
