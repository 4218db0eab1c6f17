"""Spreading calls over the campaign's caller-ID pool, within each number's daily cap.

Carriers flag a number as spam when it places too many calls a day; the least-used number of
the customer-local day goes first.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dialer.models import Campaign
from renewals.models import ContactAttempt

__all__ = ["pick_caller_id"]


def pick_caller_id(session: Session, campaign: Campaign, *, now: datetime, tz: str) -> str | None:
    """The pool number with the fewest calls today (in ``tz``), or None when all are capped."""
    if not campaign.caller_ids:
        return None
    zone = ZoneInfo(tz)
    local_midnight = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    day_start = local_midnight.astimezone(now.tzinfo)
    used: dict[str, int] = dict(
        session.execute(
            select(ContactAttempt.caller_id, func.count())
            .where(
                ContactAttempt.caller_id.in_(campaign.caller_ids),
                ContactAttempt.started_at >= day_start,
                ContactAttempt.started_at < day_start + timedelta(days=1),
            )
            .group_by(ContactAttempt.caller_id)
        )
        .tuples()
        .all()
    )
    number, count = min(
        ((n, used.get(n, 0)) for n in campaign.caller_ids), key=lambda item: item[1]
    )
    return number if count < campaign.caller_id_daily_cap else None
