"""Each report as a table of plain values (header, rows), for CSV, XLSX and the terminal.

Headers are English msgids, translated through the reports catalog; values stay numbers
(seconds, cents, fractions) so a spreadsheet can compute with them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reports.cohorts import AtRisk, CohortRow
from reports.compliance import ComplianceReport
from reports.funnel import Funnel
from reports.seats import SeatReport, SeatRow

__all__ = ["HEADERS", "Table", "at_risk_table", "cohort_table", "compliance_table",
           "funnel_table", "seat_table"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Table:
    header: list[str]  # msgids
    rows: list[list[object]]


SEAT_HEADER = [
    "Agent", "Team", "Logged in (s)", "Ready (s)", "Paused (s)", "Talk (s)", "Wrap-up (s)",
    "Calls offered", "Calls answered", "Average handle time (s)", "Contacts", "Quotes",
    "Renewals won", "Renewal rate", "Premium written (cents)",
    "Average premium per customer (cents)", "Gifts given",
]  # fmt: skip
FUNNEL_HEADER = ["Stage", "Leads"]
FUNNEL_STAGES = ["Renewal list", "Contacted", "Quoted", "Won", "Lost", "Still open"]
REASONS = {"product": "Lost: product", "service": "Lost: service", "price": "Lost: price",
           "other": "Lost: other reason", "none": "Lost: no reason recorded"}  # fmt: skip
COHORT_HEADER = [
    "Tenure (years)", "Contacts to plan for", "Leads", "Renewals won", "Lost", "Contacts",
    "Renewal rate", "Contacts per win",
]  # fmt: skip
AT_RISK_HEADER = [
    "Lead", "Plate", "Customer", "Phone", "Expires", "Days left", "Contacts", "Target contacts",
]  # fmt: skip
COMPLIANCE_HEADER = ["Day", "Live answers", "Abandoned", "Abandon rate (%)"]
TOTAL, NO_TEAM, PAUSED_FOR = "Total", "(no team)", "Paused: {reason} (s)"
HEADERS = [*SEAT_HEADER, *FUNNEL_HEADER, *FUNNEL_STAGES, *REASONS.values(), *COHORT_HEADER,
           *AT_RISK_HEADER, *COMPLIANCE_HEADER, TOTAL, NO_TEAM, PAUSED_FOR]  # fmt: skip

Translate = Callable[[str], str]


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _seat_values(row: SeatRow, reasons: list[str], tr: Translate) -> list[object]:
    c = row.calls
    name = row.agent if row.agent is not None else (tr(TOTAL) if row.team is None else "")
    team = tr(NO_TEAM) if row.team == "" else (row.team or "")
    aht = None if row.aht_s is None else round(row.aht_s)
    return [
        name, team, round(row.logged_in_s), round(row.ready_s), round(row.paused_s),
        round(row.talk_s), round(row.wrap_s), c.calls_offered, c.calls_answered, aht,
        c.contacts, c.quotes, c.wins, _rate(row.renewal_rate), c.premium_written_cents,
        row.avg_premium_cents, c.gifts,
        *(round(row.paused_by_reason_s.get(r, 0.0)) for r in reasons),
    ]  # fmt: skip


def seat_table(report: SeatReport, tr: Translate) -> Table:
    """One row per agent (or team), the totals last; a column per pause reason."""
    reasons = sorted(report.totals.paused_by_reason_s)
    header = [tr(h) for h in SEAT_HEADER] + [tr(PAUSED_FOR).format(reason=r) for r in reasons]
    rows = [_seat_values(r, reasons, tr) for r in [*report.rows, report.totals]]
    return Table(header, rows)


def funnel_table(funnel: Funnel, tr: Translate) -> Table:
    counts = [funnel.listed, funnel.contacted, funnel.quoted, funnel.won, funnel.lost, funnel.open]
    rows: list[list[object]] = [[tr(s), n] for s, n in zip(FUNNEL_STAGES, counts, strict=True)]
    rows += [[tr(REASONS[k]), n] for k, n in funnel.lost_by_reason.items() if k in REASONS]
    return Table([tr(h) for h in FUNNEL_HEADER], rows)


def _band(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else (f"{low}" if low == high else f"{low}-{high}")


def cohort_table(rows: list[CohortRow], tr: Translate) -> Table:
    body: list[list[object]] = [
        [_band(r.target.min_years, r.target.max_years),
         _band(r.target.min_contacts, r.target.max_contacts), r.leads, r.won, r.lost, r.contacts,
         _rate(r.renewal_rate), _rate(r.contacts_per_win)]
        for r in rows
    ]  # fmt: skip
    return Table([tr(h) for h in COHORT_HEADER], body)


def at_risk_table(rows: list[AtRisk], tr: Translate) -> Table:
    body: list[list[object]] = [
        [r.lead_id, r.plate, r.customer, r.phone_masked, r.expires, r.days_left, r.contacts,
         r.target_contacts]
        for r in rows
    ]  # fmt: skip
    return Table([tr(h) for h in AT_RISK_HEADER], body)


def compliance_table(report: ComplianceReport, tr: Translate) -> Table:
    body: list[list[object]] = [
        [d.day, d.live_answers, d.abandoned, round(d.rate_pct, 3)] for d in report.days
    ]
    return Table([tr(h) for h in COMPLIANCE_HEADER], body)
