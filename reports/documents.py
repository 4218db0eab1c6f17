"""The reports as the report pages serve them: the same figures and JSON as ``xubao report``,
and each report's table for an XLSX or CSV download.

One object per app, handed the session factory, the cadence rules and the time zone; each
call is one request's filters. Closed days are rolled up first (their own transaction), as the
command line does, so a month reads back from the rollups.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from dialer.models import Campaign
from renewals.cadence.rules import CadenceRules
from reports.cohorts import AtRisk, CohortRow, cohort_report, leads_at_risk
from reports.compliance import (
    ComplianceReport,
    DayAbandons,
    compliance_report,
    daily_abandons,
    refresh_compliance,
)
from reports.export import write_csv, write_table_xlsx
from reports.funnel import Funnel, funnel_report
from reports.i18n import catalog
from reports.jsonshape import cohorts_json, compliance_json, days_json, funnel_json, seats_json
from reports.models import AgentTeam
from reports.periods import Period
from reports.rollup import refresh_rollup
from reports.seats import SeatReport, seat_report
from reports.tables import (
    Table,
    at_risk_table,
    cohort_table,
    compliance_table,
    funnel_table,
    seat_table,
)

__all__ = ["EXPORTS", "Export", "ReportDocuments", "ReportFilters"]

log = logging.getLogger(__name__)
TREND_DAYS = 30
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\：]")  # characters a sheet's name may not hold
Export = Literal["seats", "funnel", "cohorts", "at_risk", "compliance"]
EXPORTS: tuple[Export, ...] = ("seats", "funnel", "cohorts", "at_risk", "compliance")
# Sheet titles (msgids of the reports catalog, as the command line's titles).
_TITLES: dict[Export, str] = {
    "seats": "Seat report {first} to {last}",
    "funnel": "Renewal funnel of the policies expiring {first} to {last}",
    "cohorts": "Renewal rate by tenure, policies expiring {first} to {last}",
    "at_risk": "Leads at risk: expiring soon, short of their contacts",
    "compliance": "Abandoned calls per day, campaign {campaign}",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportFilters:
    """One request: the local days, a team (None: all) and the campaign of the compliance part."""

    period: Period
    team: str | None
    campaign: str | None
    now: datetime


class ReportDocuments:
    def __init__(
        self, *, sessions: sessionmaker[Session], rules: CadenceRules, timezone: str
    ) -> None:
        self._sessions, self._rules, self._timezone = sessions, rules, timezone
        self._rollup_lock = threading.Lock()

    def choices(self) -> tuple[list[str], list[tuple[str, str]]]:
        """The teams agents were ever in, and the campaigns as (id, name)."""
        with self._sessions() as session:
            teams = list(
                session.scalars(select(AgentTeam.team).distinct().order_by(AgentTeam.team))
            )
            campaigns = [
                (cid, name)
                for cid, name in session.execute(
                    select(Campaign.id, Campaign.name).order_by(Campaign.id)
                )
            ]
        return teams, campaigns

    @contextmanager
    def _rolling_up(self) -> Iterator[Session]:
        """A transaction for a rollup: one at a time in this process; a rollup that cannot get
        the database (another writer held it past the busy timeout) is left to the next
        request, and the report computes those days from the rows instead."""
        with self._rollup_lock:
            try:
                with self._sessions.begin() as session:
                    yield session
            except OperationalError as exc:
                log.warning("rollup skipped, the report reads the rows: %s", exc.orig)

    def seat_report(self, f: ReportFilters) -> SeatReport:
        with self._rolling_up() as session:
            refresh_rollup(session, f.period, now=f.now)
        with self._sessions() as session:
            return seat_report(session, f.period, now=f.now, team=f.team)

    def funnel(self, f: ReportFilters) -> Funnel:
        with self._sessions() as session:
            return funnel_report(session, f.period, team=f.team)

    def cohorts(self, f: ReportFilters) -> tuple[list[CohortRow], list[AtRisk]]:
        with self._sessions() as session:
            rows = cohort_report(session, f.period, rules=self._rules, team=f.team)
            risky = leads_at_risk(
                session, now=f.now, rules=self._rules, zone=self._timezone, team=f.team
            )
        return rows, risky

    def compliance(
        self, f: ReportFilters, campaign: str
    ) -> tuple[ComplianceReport, list[DayAbandons]]:
        """The period's report, and the abandon counts of the 30 days ending with the period."""
        hours = (self._rules.calling_start, self._rules.calling_end)
        trend = Period(
            f.period.last - timedelta(days=TREND_DAYS - 1), f.period.last, self._timezone
        )
        with self._rolling_up() as session:
            for span in (f.period, trend):
                refresh_compliance(session, campaign, now=f.now, business_tz=self._timezone,
                                   default_hours=hours, period=span)  # fmt: skip
        with self._sessions() as session:
            report = compliance_report(session, campaign, now=f.now, business_tz=self._timezone,
                                       default_hours=hours, period=f.period)  # fmt: skip
            days = daily_abandons(session, campaign, trend, default_hours=hours)
        return report, days

    def json(self, name: Literal["seats", "funnel", "cohorts", "compliance"], f: ReportFilters
             ) -> dict[str, object]:  # fmt: skip
        """The JSON ``xubao report NAME --json`` prints (``seats`` with ``--detail``); the
        compliance part adds ``trend_30d``, the days of the abandon chart."""
        if name == "seats":
            return seats_json(self.seat_report(f), detail=True) | {"team": f.team}
        if name == "funnel":
            return funnel_json(self.funnel(f), f.team)
        if name == "cohorts":
            rows, risky = self.cohorts(f)
            return cohorts_json(rows, risky, first=f.period.first.isoformat(),
                                last=f.period.last.isoformat(), team=f.team)  # fmt: skip
        report, days = self.compliance(f, self._campaign(f))
        return compliance_json(report) | {
            "from": f.period.first.isoformat(), "to": f.period.last.isoformat(),
            "trend_30d": days_json(days),
        }  # fmt: skip

    def _campaign(self, f: ReportFilters) -> str:
        if f.campaign:
            return f.campaign
        _, campaigns = self.choices()
        return campaigns[0][0] if campaigns else ""

    def table(self, name: Export, f: ReportFilters, language: str) -> tuple[Table, str]:
        """The report's table (headers in ``language``) and its sheet title."""
        tr = _translate(language)
        first, last = f.period.first, f.period.last
        title = tr(_TITLES[name]).format(first=first, last=last, campaign=self._campaign(f))
        if name == "seats":
            return seat_table(self.seat_report(f), tr), title
        if name == "funnel":
            return funnel_table(self.funnel(f), tr), title
        if name in ("cohorts", "at_risk"):
            rows, risky = self.cohorts(f)
            return (
                cohort_table(rows, tr) if name == "cohorts" else at_risk_table(risky, tr)
            ), title
        report, _ = self.compliance(f, self._campaign(f))
        return compliance_table(report, tr), title

    def export(self, name: Export, f: ReportFilters, language: str, kind: Literal["xlsx", "csv"]
               ) -> bytes:  # fmt: skip
        """The report as the bytes of an XLSX workbook or a CSV file (UTF-8 with a BOM)."""
        table, title = self.table(name, f, language)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"report.{kind}"
            if kind == "xlsx":
                write_table_xlsx(path, table, sheet_name=_SHEET_UNSAFE.sub(" ", title))
            else:
                write_csv(path, table)
            return path.read_bytes()


def _translate(language: str) -> Callable[[str], str]:
    reports = catalog()
    return lambda message: reports.gettext(message, language)
