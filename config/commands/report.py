"""``xubao report seats|funnel|cohorts|compliance|teams|rollup``: the reports from storage.

    xubao report seats --from DATE --to DATE [--team T] [--by-team] [--json [--detail] | --xlsx
        FILE | --csv FILE]
    xubao report teams assign AGENT TEAM [--from DATE]      (and ``teams list``)
    xubao report rollup --from DATE --to DATE               (roll up closed days now)

Days are local days in ``settings.timezone``; ``--to`` defaults to ``--from``.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from config.commands._common import parse_instant
from config.commands.report_output import CENTS, RATE, SECONDS, Output, add_output_options, emit
from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules
from config.settings import Settings
from renewals.i18n import environment_language
from reports.cohorts import cohort_report, leads_at_risk
from reports.compliance import compliance_report, refresh_compliance
from reports.errors import InvalidPeriod, ReportsError, UnknownCampaign
from reports.funnel import funnel_report
from reports.jsonshape import cohorts_json, compliance_json, funnel_json, seats_json
from reports.periods import Period, local_midnight
from reports.rollup import refresh_rollup
from reports.seats import seat_report
from reports.tables import at_risk_table, cohort_table, compliance_table, funnel_table, seat_table
from reports.teams import assign_team, team_periods

__all__ = ["MESSAGES", "register"]

# Columns of the seat table shown as h:mm:ss, percent or yuan; pause reasons follow column 17.
_SEAT_KINDS = {2: SECONDS, 3: SECONDS, 4: SECONDS, 5: SECONDS, 6: SECONDS, 9: SECONDS,
               13: RATE, 14: CENTS, 15: CENTS} | {i: SECONDS for i in range(17, 64)}  # fmt: skip

# Words shown to people (msgids of the reports catalog).
SEATS_TITLE = "Seat report {first} to {last}"
FUNNEL_TITLE = "Renewal funnel of the policies expiring {first} to {last}"
COHORTS_TITLE = "Renewal rate by tenure, policies expiring {first} to {last}"
AT_RISK_TITLE = "Leads at risk: expiring soon, short of their contacts"
COMPLIANCE_TITLE = "Abandoned calls per day, campaign {campaign}"
ROLLING = "Rolling 30 days: {abandoned} of {live} live answers, {rate:.2f}% (cap {cap:.1f}%)"
OUTSIDE_HOURS = "Calls outside calling hours"
TO_DNC = "Calls to do-not-call numbers"
SHORT_RING = "Calls that rang too briefly"
ERROR = "error: {message}"
ASSIGNED = "{agent} is in team {team} from {day} on"
ROLLED = "{count} days rolled up"
BAD_PERIOD = "the period ends ({last}) before it begins ({first})"
NO_CAMPAIGN = "no campaign {campaign}"
MESSAGES = (
    SEATS_TITLE,
    FUNNEL_TITLE,
    COHORTS_TITLE,
    AT_RISK_TITLE,
    COMPLIANCE_TITLE,
    ROLLING,
    OUTSIDE_HOURS,
    TO_DNC,
    SHORT_RING,
    ERROR,
    ASSIGNED,
    ROLLED,
)


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", required=True, type=date.fromisoformat)
    parser.add_argument("--to", dest="last", type=date.fromisoformat, help="default: --from")
    parser.add_argument("--team", help="only this team's agents (or leads they own)")
    parser.add_argument("--at", help="the report's 'now' (ISO time; default now)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="seat reports, the funnel, cohorts, compliance")
    rsub = report.add_subparsers(dest="report_command", required=True)
    seats = rsub.add_parser("seats", help="per agent (or team): times, calls, wins, premium")
    _period_options(seats)
    seats.add_argument("--by-team", action="store_true", help="one row per team")
    seats.add_argument("--detail", action="store_true", help="JSON: offers, AHT, pause reasons")
    add_output_options(seats)
    seats.set_defaults(handler=run_seats)
    for name, handler, text in (
        ("funnel", run_funnel, "renewal list → contacted → quoted → won/lost"),
        ("cohorts", run_cohorts, "renewal rate by tenure, contacts per win, leads at risk"),
    ):
        parser = rsub.add_parser(name, help=text)
        _period_options(parser)
        add_output_options(parser)
        parser.set_defaults(handler=handler)
    compliance = rsub.add_parser("compliance", help="abandon rate, hours, do-not-call, rings")
    compliance.add_argument("--campaign", required=True)
    compliance.add_argument("--from", dest="first", type=date.fromisoformat,
                            help="only the days from DATE (default: all)")  # fmt: skip
    compliance.add_argument("--to", dest="last", type=date.fromisoformat, help="default: --from")
    compliance.add_argument("--at", help="end of the rolling 30 days (default now)")
    add_output_options(compliance)
    compliance.set_defaults(handler=run_compliance)
    _register_teams(rsub)
    rollup = rsub.add_parser("rollup", help="roll up the closed days of a period now")
    _period_options(rollup)
    rollup.set_defaults(handler=run_rollup)


def _register_teams(rsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    teams = rsub.add_parser("teams", help="agents' teams over time")
    tsub = teams.add_subparsers(dest="teams_command", required=True)
    assign = tsub.add_parser("assign", help="put an agent in a team from a local day on")
    assign.add_argument("agent")
    assign.add_argument("team")
    assign.add_argument("--from", dest="first", type=date.fromisoformat,
                        help="first day in the team (default: always)")  # fmt: skip
    assign.set_defaults(handler=run_assign)
    listing = tsub.add_parser("list", help="every agent's team periods")
    listing.set_defaults(handler=run_list_teams)


def _period(args: argparse.Namespace, settings: Settings) -> Period:
    return Period(args.first, args.last or args.first, settings.timezone)


def _sessions(settings: Settings) -> tuple[sessionmaker[Session], object]:
    engine = create_db_engine(settings.resolved_database_url)
    return make_session_factory(engine), engine


def _fail(out: Output, error: ReportsError) -> int:
    if isinstance(error, InvalidPeriod):
        message = out.tr(BAD_PERIOD).format(first=error.first, last=error.last)
    elif isinstance(error, UnknownCampaign):
        message = out.tr(NO_CAMPAIGN).format(campaign=error.campaign_id)
    else:
        message = str(error)
    print(out.tr(ERROR).format(message=message))
    return 2


def run_seats(args: argparse.Namespace, settings: Settings) -> int:
    out, now = Output(environment_language()), parse_instant(args.at, settings.timezone)
    engine = create_db_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    try:
        period = _period(args, settings)
        with sessions.begin() as session:
            refresh_rollup(session, period, now=now)
        with sessions() as session:
            report = seat_report(session, period, now=now, team=args.team, by_team=args.by_team)
    except ReportsError as exc:
        return _fail(out, exc)
    finally:
        engine.dispose()
    title = out.tr(SEATS_TITLE).format(first=period.first, last=period.last)
    emit(args, out, document=seats_json(report, detail=args.detail),
         table=seat_table(report, out.tr), title=title, kinds=_SEAT_KINDS)  # fmt: skip
    return 0


def run_funnel(args: argparse.Namespace, settings: Settings) -> int:
    out = Output(environment_language())
    engine = create_db_engine(settings.resolved_database_url)
    try:
        period = _period(args, settings)
        with make_session_factory(engine)() as session:
            funnel = funnel_report(session, period, team=args.team)
    except ReportsError as exc:
        return _fail(out, exc)
    finally:
        engine.dispose()
    title = out.tr(FUNNEL_TITLE).format(first=period.first, last=period.last)
    emit(args, out, document=funnel_json(funnel, args.team), table=funnel_table(funnel, out.tr),
         title=title)  # fmt: skip
    return 0


def run_cohorts(args: argparse.Namespace, settings: Settings) -> int:
    out, now = Output(environment_language()), parse_instant(args.at, settings.timezone)
    rules = cadence_rules(settings.cadence)
    engine = create_db_engine(settings.resolved_database_url)
    try:
        period = _period(args, settings)
        with make_session_factory(engine)() as session:
            rows = cohort_report(session, period, rules=rules, team=args.team)
            risky = leads_at_risk(session, now=now, rules=rules, zone=settings.timezone,
                                  team=args.team)  # fmt: skip
    except ReportsError as exc:
        return _fail(out, exc)
    finally:
        engine.dispose()
    document = cohorts_json(rows, risky, first=period.first.isoformat(),
                            last=period.last.isoformat(), team=args.team)  # fmt: skip
    title = out.tr(COHORTS_TITLE).format(first=period.first, last=period.last)
    table = cohort_table(rows, out.tr)
    emit(args, out, document=document, table=table, title=title, kinds={6: RATE})
    if not (args.json or args.xlsx or args.csv):
        print()
        emit(args, out, document=None, table=at_risk_table(risky, out.tr),
             title=out.tr(AT_RISK_TITLE))  # fmt: skip
    return 0


def run_compliance(args: argparse.Namespace, settings: Settings) -> int:
    out, now = Output(environment_language()), parse_instant(args.at, settings.timezone)
    rules = cadence_rules(settings.cadence)
    hours = (rules.calling_start, rules.calling_end)
    engine = create_db_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    try:
        period = _period(args, settings) if args.first else None
        with sessions.begin() as session:  # the closed days, rolled up once
            refresh_compliance(session, args.campaign, now=now, business_tz=settings.timezone,
                               default_hours=hours, period=period)  # fmt: skip
        with sessions() as session:
            report = compliance_report(
                session, args.campaign, now=now, business_tz=settings.timezone,
                default_hours=hours, period=period,
            )  # fmt: skip
    except ReportsError as exc:
        return _fail(out, exc)
    finally:
        engine.dispose()
    title = out.tr(COMPLIANCE_TITLE).format(campaign=args.campaign)
    emit(args, out, document=compliance_json(report), table=compliance_table(report, out.tr),
         title=title)  # fmt: skip
    if not (args.json or args.xlsx or args.csv):
        print(out.tr(ROLLING).format(abandoned=report.rolling_abandoned,
                                                live=report.rolling_live_answers,
                                                rate=report.rolling_rate_pct,
                                                cap=report.abandon_cap_pct))  # fmt: skip
        for label, calls in (
            (OUTSIDE_HOURS, report.outside_hours),
            (TO_DNC, report.to_do_not_call),
            (SHORT_RING, report.short_ring),
        ):
            print(
                f"{out.tr(label)}: {len(calls)}" + (f" ({', '.join(calls[:10])})" if calls else "")
            )
    return 0 if report.ok else 1


def run_assign(args: argparse.Namespace, settings: Settings) -> int:
    out = Output(environment_language())
    since = local_midnight(args.first, settings.timezone) if args.first else None
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            assign_team(session, args.agent, args.team, since=since)
    finally:
        engine.dispose()
    print(out.tr(ASSIGNED).format(
        agent=args.agent, team=args.team, day=args.first or "-"))  # fmt: skip
    return 0


def _local_day(at: datetime | None, zone: str) -> str:
    return "-" if at is None else at.astimezone(ZoneInfo(zone)).date().isoformat()


def run_list_teams(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine)() as session:
            for p in team_periods(session):
                print(f"{p.agent_id}\t{p.team}\t{_local_day(p.starts_at, settings.timezone)}"
                      f"\t{_local_day(p.ends_at, settings.timezone)}")  # fmt: skip
    finally:
        engine.dispose()
    return 0


def run_rollup(args: argparse.Namespace, settings: Settings) -> int:
    out, now = Output(environment_language()), parse_instant(args.at, settings.timezone)
    engine = create_db_engine(settings.resolved_database_url)
    try:
        period = _period(args, settings)
        with make_session_factory(engine).begin() as session:
            count = refresh_rollup(session, period, now=now)
    except ReportsError as exc:
        return _fail(out, exc)
    finally:
        engine.dispose()
    print(out.tr(ROLLED).format(count=count))
    return 0
