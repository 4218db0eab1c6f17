"""Each report as JSON-ready dicts: the shape ``xubao report … --json`` prints and the API serves.

The seat rows have exactly the fields of issue 14; ``detail`` adds calls offered, the average
handle time and the pauses by reason. Seconds are whole, money in cents, rates fractions.
"""

from __future__ import annotations

from reports.cohorts import AtRisk, CohortRow
from reports.compliance import ComplianceReport, DayAbandons
from reports.funnel import Funnel
from reports.seats import SeatReport, SeatRow

__all__ = [
    "at_risk_json",
    "cohorts_json",
    "compliance_json",
    "days_json",
    "funnel_json",
    "seats_json",
]


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _seat(row: SeatRow, detail: bool) -> dict[str, object]:
    c = row.calls
    out: dict[str, object] = {
        "agent": row.agent,
        "team": row.team,
        "logged_in_s": round(row.logged_in_s),
        "ready_s": round(row.ready_s),
        "paused_s": round(row.paused_s),
        "talk_s": round(row.talk_s),
        "wrap_s": round(row.wrap_s),
        "calls_answered": c.calls_answered,
        "contacts": c.contacts,
        "quotes": c.quotes,
        "wins": c.wins,
        "renewal_rate": _rate(row.renewal_rate),
        "premium_written_cents": c.premium_written_cents,
        "avg_premium_cents": row.avg_premium_cents,
        "gifts": c.gifts,
    }
    if detail:
        out["calls_offered"] = c.calls_offered
        out["aht_s"] = None if row.aht_s is None else round(row.aht_s)
        out["paused_by_reason_s"] = {k: round(v) for k, v in sorted(row.paused_by_reason_s.items())}
    return out


def seats_json(report: SeatReport, *, detail: bool = False) -> dict[str, object]:
    return {
        "from": report.period.first.isoformat(),
        "to": report.period.last.isoformat(),
        "rows": [_seat(r, detail) for r in report.rows],
        "totals": _seat(report.totals, detail),
    }


def funnel_json(funnel: Funnel, team: str | None) -> dict[str, object]:
    return {
        "from": funnel.period.first.isoformat(),
        "to": funnel.period.last.isoformat(),
        "team": team,
        "listed": funnel.listed,
        "contacted": funnel.contacted,
        "quoted": funnel.quoted,
        "won": funnel.won,
        "lost": funnel.lost,
        "open": funnel.open,
        "renewal_rate": _rate(funnel.renewal_rate),
        "lost_by_reason": funnel.lost_by_reason,
    }


def at_risk_json(rows: list[AtRisk]) -> list[dict[str, object]]:
    return [
        {
            "lead_id": r.lead_id,
            "plate": r.plate,
            "customer": r.customer,
            "phone": r.phone_masked,
            "expires": r.expires.isoformat(),
            "days_left": r.days_left,
            "contacts": r.contacts,
            "target_contacts": r.target_contacts,
        }
        for r in rows
    ]


def cohorts_json(
    rows: list[CohortRow], at_risk: list[AtRisk], *, first: str, last: str, team: str | None
) -> dict[str, object]:
    return {
        "from": first,
        "to": last,
        "team": team,
        "cohorts": [
            {
                "tenure_min": r.target.min_years,
                "tenure_max": r.target.max_years,
                "target_min_contacts": r.target.min_contacts,
                "target_max_contacts": r.target.max_contacts,
                "leads": r.leads,
                "won": r.won,
                "lost": r.lost,
                "contacts": r.contacts,
                "renewal_rate": _rate(r.renewal_rate),
                "contacts_per_win": None
                if r.contacts_per_win is None
                else round(r.contacts_per_win, 4),
            }
            for r in rows
        ],
        "at_risk": at_risk_json(at_risk),
    }


def days_json(days: list[DayAbandons]) -> list[dict[str, object]]:
    return [
        {
            "day": d.day.isoformat(),
            "live_answers": d.live_answers,
            "abandoned": d.abandoned,
            "abandon_rate_pct": round(d.rate_pct, 3),
        }
        for d in days
    ]


def compliance_json(report: ComplianceReport) -> dict[str, object]:
    """The shape ``xubao compliance --json`` and ``xubao report compliance --json`` print."""
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
        "days": days_json(report.days),
        "calls_outside_hours": report.outside_hours,
        "calls_to_do_not_call": report.to_do_not_call,
        "calls_with_short_ring": report.short_ring,
        "calls_opted_out": report.opted_out,
    }
