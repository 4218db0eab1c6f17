"""``xubao compliance --campaign ID [--json]``: the dialer's rules, checked from storage."""

from __future__ import annotations

import argparse
import json

from config.commands._common import parse_instant
from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules
from config.settings import Settings
from reports.compliance import ComplianceReport, compliance_report


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("compliance", help="abandon rate, calling hours, do-not-call, ring time")
    cmd.add_argument("--campaign", required=True)
    cmd.add_argument("--at", help="end of the rolling 30 days (default now)")
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(handler=run)


def as_json(report: ComplianceReport) -> dict[str, object]:
    return {
        "campaign": report.campaign_id,
        "ok": report.ok,
        "abandon_cap_pct": report.abandon_cap_pct,
        "rolling_30d": {
            "live_answers": report.rolling_live_answers,
            "abandoned": report.rolling_abandoned,
            "abandon_rate_pct": round(report.rolling_rate_pct, 3),
            # Answered, then ended by the customer inside the connect limit: in neither figure.
            "customer_hung_up": report.rolling_customer_hung_up,
        },
        "days": [
            {
                "day": d.day.isoformat(),
                "live_answers": d.live_answers,
                "abandoned": d.abandoned,
                "abandon_rate_pct": round(d.rate_pct, 3),
            }
            for d in report.days
        ],
        "calls_outside_hours": report.outside_hours,
        "calls_to_do_not_call": report.to_do_not_call,
        "calls_with_short_ring": report.short_ring,
        "calls_opted_out": report.opted_out,
    }


def print_report(report: ComplianceReport) -> None:
    verdict = "合规 PASS" if report.ok else "违规 FAIL"
    print(f"合规报告 compliance — campaign {report.campaign_id}: {verdict}")
    print(
        f"  近30天放弃率 abandoned (rolling 30 d): {report.rolling_abandoned}/"
        f"{report.rolling_live_answers} = {report.rolling_rate_pct:.2f}% "
        f"(上限 cap {report.abandon_cap_pct:.1f}%)"
    )
    print(
        f"  客户即挂（不计入） customer hung up at once (not counted): "
        f"{report.rolling_customer_hung_up}"
    )
    for d in report.days:
        print(
            f"  {d.day}  接通 live {d.live_answers:>5}  放弃 abandoned {d.abandoned:>4}  "
            f"{d.rate_pct:5.2f}%"
        )
    print(f"  时段外呼叫 outside calling hours: {len(report.outside_hours)} (must be 0)")
    print(f"  拨打免打扰号码 to do-not-call numbers: {len(report.to_do_not_call)} (must be 0)")
    print(f"  振铃不足 ring shorter than 15 s: {len(report.short_ring)} (must be 0)")
    print(f"  客户退订 opt-outs received (numbers blocked): {len(report.opted_out)}")


def run(args: argparse.Namespace, settings: Settings) -> int:
    at = parse_instant(args.at, settings.timezone)
    rules = cadence_rules(settings.cadence)
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine)() as session:
            report = compliance_report(
                session,
                args.campaign,
                now=at,
                business_tz=settings.timezone,
                default_hours=(rules.calling_start, rules.calling_end),
            )
    except LookupError as exc:
        print(f"错误 error: {exc}")
        return 2
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(as_json(report), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 0 if report.ok else 1
