"""The report pages (``/reports``) for supervisors and admins: one page whose script draws the
charts from the JSON API, the API itself (the figures ``xubao report … --json`` prints) and
the downloads (XLSX or CSV, the command line's tables).

Every route needs ``ReportsUser``: agents and QA get 403. Only reads (GET): no CSRF to check.
Routes parse the filters, call ``reports.documents`` and shape the reply: no SQL here.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Annotated, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from agent_console.deps import ReportsUser, Services
from agent_console.pages import Pages, language_of
from agent_console.texts import translator
from reports.documents import Export, ReportDocuments, ReportFilters
from reports.errors import PeriodTooLong
from reports.periods import Period

router = APIRouter(prefix="/reports", tags=["reports"])

DEFAULT_DAYS = 30
# A page's report covers at most a year (each closed day is rolled up as it is first asked for).
MAX_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
TeamName = Annotated[str | None, Query(max_length=40)]
CampaignId = Annotated[str | None, Query(max_length=40)]
_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

# Words the page's script shows; the page hands it their translation.
SCRIPT_TEXTS = (
    "Renewals won", "Premium written", "Renewal list", "Contacted", "Quoted", "Won", "Lost",
    "Still open", "Renewal rate", "Contacts per win", "Target contacts", "Abandon rate",
    "Cap", "No rows in this period.", "Could not load the report.", "Agent", "Team",
    "Logged in", "Talk", "Wrap-up", "Paused", "Calls answered", "Contacts", "Quotes",
    "Average premium per customer", "Gifts given", "Total", "Tenure (years)",
    "Contacts to plan for", "Leads", "Lead", "Plate", "Customer", "Phone", "Expires",
    "Days left", "Rolling 30 days", "Live answers", "Abandoned", "Calls outside calling hours",
    "Calls to do-not-call numbers", "Calls that rang too briefly", "Opt-outs received",
    "(no team)", "years", "product", "service", "price", "other", "none", "Stage", "Check",
    "Result",
)  # fmt: skip


def _documents(request: Request) -> ReportDocuments:
    documents: ReportDocuments = request.app.state.report_documents
    return documents


Documents = Annotated[ReportDocuments, Depends(_documents)]


def _filters(
    services: Services,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
    team: TeamName = None,
    campaign: CampaignId = None,
) -> ReportFilters:
    """``from``/``to`` are local days (default: the 30 days up to today); an empty team or
    campaign is none."""
    now = services.clock.now()
    today = now.astimezone(ZoneInfo(services.timezone)).date()
    for day in (first, last):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise PeriodTooLong(str(first), str(last), MAX_DAYS)
    last = last or (first if first and first > today else today)
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if (last - first).days >= MAX_DAYS:
        raise PeriodTooLong(str(first), str(last), MAX_DAYS)
    return ReportFilters(
        period=Period(first, last, services.timezone),
        team=team or None,
        campaign=campaign or None,
        now=now,
    )


Filters = Annotated[ReportFilters, Depends(_filters)]


@router.get("/", response_class=HTMLResponse, summary="The report page: charts and tables")
def page(
    request: Request, user: ReportsUser, documents: Documents, filters: Filters
) -> HTMLResponse:
    _ = translator(language_of(request))
    pages: Pages = request.app.state.pages
    teams, campaigns = documents.choices()
    campaign = filters.campaign or (campaigns[0][0] if campaigns else "")
    return pages.render(
        request,
        "reports.html",
        user=user,
        first=filters.period.first.isoformat(),
        last=filters.period.last.isoformat(),
        team=filters.team or "",
        teams=teams,
        campaign=campaign,
        campaigns=campaigns,
        texts=json.dumps({t: _(t) for t in SCRIPT_TEXTS}, ensure_ascii=False),
    )


@router.get("/api/seats", summary="The seat report (as `xubao report seats --json --detail`)")
def seats(_user: ReportsUser, documents: Documents, filters: Filters) -> dict[str, object]:
    return documents.json("seats", filters)


@router.get("/api/funnel", summary="The renewal funnel (as `xubao report funnel --json`)")
def funnel(_user: ReportsUser, documents: Documents, filters: Filters) -> dict[str, object]:
    return documents.json("funnel", filters)


@router.get(
    "/api/cohorts", summary="Tenure cohorts and leads at risk (as `xubao report cohorts --json`)"
)
def cohorts(_user: ReportsUser, documents: Documents, filters: Filters) -> dict[str, object]:
    return documents.json("cohorts", filters)


@router.get(
    "/api/compliance",
    summary="The campaign's compliance report of the period, with the abandon trend of 30 days",
)
def compliance(_user: ReportsUser, documents: Documents, filters: Filters) -> dict[str, object]:
    return documents.json("compliance", filters)


@router.get("/api/export/{name}", summary="A report as an XLSX workbook or a CSV file")
def export(
    request: Request,
    _user: ReportsUser,
    documents: Documents,
    filters: Filters,
    name: Export,
    format: Literal["xlsx", "csv"] = "xlsx",
) -> Response:
    body = documents.export(name, filters, language_of(request), format)
    period = filters.period
    filename = f"{name}-{period.first.isoformat()}-{period.last.isoformat()}.{format}"
    return Response(
        body,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
