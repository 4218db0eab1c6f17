"""The funnel of one renewal list: listed → contacted → quoted → won / lost, with why lost.

Contacted: the lead's stored count of calls that reached the customer is above zero (the
cadence keeps it as each call ends; probing every lead's attempts cost more than all the rest).
Lost: the lead is closed lost or on the do-not-call list; its reason is that of its latest
declined disposition (``none`` when it never declined: it refused calls or opted out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import String, case, exists, func, literal_column, select, type_coerce
from sqlalchemy.orm import Session

from renewals.models import (
    DeclineReason,
    Disposition,
    DispositionKind,
    LeadStatus,
    Quote,
)
from reports.book import book_leads
from reports.periods import Period
from reports.tuning import tune_for_reports

__all__ = ["Funnel", "funnel_report"]

NO_REASON = "none"


@dataclass(slots=True)
class Funnel:
    period: Period
    listed: int = 0
    contacted: int = 0
    quoted: int = 0
    won: int = 0
    lost: int = 0
    open: int = 0  # still being worked (or bad data waiting for the right contact)
    lost_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def renewal_rate(self) -> float | None:
        """Renewals won per lead on the list (续保率)."""
        return self.won / self.listed if self.listed else None


def funnel_report(session: Session, period: Period, *, team: str | None = None) -> Funnel:
    tune_for_reports(session)
    book = book_leads(period, team).subquery("book")
    contacted = book.c.contacts > 0
    quoted = exists().where(Quote.lead_id == book.c.lead_id)
    lost = book.c.status.in_((LeadStatus.LOST, LeadStatus.DO_NOT_CALL))
    stages = session.execute(
        select(
            func.count(),
            func.sum(case((contacted, 1), else_=0)),
            func.sum(case((quoted, 1), else_=0)),
            func.sum(case((book.c.status == LeadStatus.WON, 1), else_=0)),
            func.sum(case((lost, 1), else_=0)),
        ).select_from(book)
    ).one()
    n_listed, n_contacted, n_quoted, n_won, n_lost = (int(v or 0) for v in stages)
    report = Funnel(period, n_listed, n_contacted, n_quoted, n_won, n_lost)
    report.open = report.listed - report.won - report.lost
    latest_reason = (
        select(Disposition.decline_reason)
        .where(Disposition.lead_id == book.c.lead_id, Disposition.kind == DispositionKind.DECLINED)
        .order_by(Disposition.at.desc(), Disposition.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    # Read as text: the enum type would refuse the ``none`` placeholder.
    reason = func.coalesce(type_coerce(latest_reason, String), literal_column(f"'{NO_REASON}'"))
    report.lost_by_reason = {r.value: 0 for r in DeclineReason} | {NO_REASON: 0}
    rows = session.execute(
        select(reason, func.count()).select_from(book).where(lost).group_by(reason)
    )
    for why, count in rows:
        report.lost_by_reason[str(why)] = int(count)
    return report
