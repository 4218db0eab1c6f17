"""``xubao compliance --campaign ID [--json]``: the dialer's rules, checked from storage."""

from __future__ import annotations

import argparse
import json

from config.commands._common import iso_time, parse_instant
from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules
from config.messages import N_, Messages
from config.settings import Settings
from reports.compliance import ComplianceReport, compliance_report, refresh_compliance
from reports.jsonshape import compliance_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("compliance", help="abandon rate, calling hours, do-not-call, ring time")
    cmd.add_argument("--campaign", required=True)
    cmd.add_argument("--at", type=iso_time, help="end of the rolling 30 days (default now)")
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(handler=run)


def print_report(report: ComplianceReport, messages: Messages) -> None:
    verdict = (
        N_("compliance report, campaign {campaign}: PASS")
        if report.ok
        else N_("compliance report, campaign {campaign}: FAIL")
    )
    print(messages.text(verdict, campaign=report.campaign_id))
    print(
        messages.text(
            "  abandoned calls, rolling 30 days: {abandoned}/{live} = {rate}% (cap {cap}%)",
            abandoned=report.rolling_abandoned,
            live=report.rolling_live_answers,
            rate=f"{report.rolling_rate_pct:.2f}",
            cap=f"{report.abandon_cap_pct:.1f}",
        )
    )
    print(
        messages.text(
            N_("  customers who hung up at once (not counted): {n}"),
            n=report.rolling_customer_hung_up,
        )
    )
    for d in report.days:
        print(
            messages.text(
                "  {day}  live {live}  abandoned {abandoned}  {rate}%",
                day=d.day,
                live=f"{d.live_answers:>5}",
                abandoned=f"{d.abandoned:>4}",
                rate=f"{d.rate_pct:5.2f}",
            )
        )
    for msgid, count in (
        (N_("  calls outside calling hours: {n} (must be 0)"), len(report.outside_hours)),
        (N_("  calls to do-not-call numbers: {n} (must be 0)"), len(report.to_do_not_call)),
        (N_("  rings shorter than 15 s: {n} (must be 0)"), len(report.short_ring)),
        (N_("  opt-outs received (numbers blocked): {n}"), len(report.opted_out)),
    ):
        print(messages.text(msgid, n=count))


def run(args: argparse.Namespace, settings: Settings) -> int:
    at = parse_instant(args.at, settings.timezone)
    rules = cadence_rules(settings.cadence)
    hours = (rules.calling_start, rules.calling_end)
    engine = create_db_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    try:
        with sessions.begin() as session:  # the closed days, rolled up once
            refresh_compliance(
                session, args.campaign, now=at, business_tz=settings.timezone, default_hours=hours
            )
        with sessions() as session:
            report = compliance_report(
                session, args.campaign, now=at, business_tz=settings.timezone, default_hours=hours
            )
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(compliance_json(report), ensure_ascii=False, indent=2))
    else:
        print_report(report, Messages(args.ui_lang))
    return 0 if report.ok else 1
