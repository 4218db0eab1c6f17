"""到期自动提醒: which leads get a reminder call now, and placing them.

A lead is reminded once per policy term, within ``days`` of its expiry, and only when the
cadence says it may be called now (the customer's calling hours, do-not-call, the daily cap,
retry spacing: :func:`renewals.cadence.find_due_leads`). The placed call is written first as a
``contact_attempts`` row (channel ``ivr``, outcome ``reminder_placed``), so an unanswered
reminder is not placed again; the IVR session fills in the outcome when the customer answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from renewals.cadence import CadenceRules, find_due_leads
from renewals.cadence.query import LeadFilter
from renewals.models import ContactAttempt

__all__ = ["PLACED", "Place", "ReminderCall", "due_reminders", "forget_placed", "mark_placed"]

PLACED = "reminder_placed"
_PREFIX = "reminder-"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderCall:
    lead_id: int
    phone: str
    call_id: str  # reminder-<lead>-<expiry date>: one per lead and policy term


def due_reminders(
    session: Session, at: datetime, rules: CadenceRules, *, days: int, limit: int
) -> list[ReminderCall]:
    """Leads to remind now, most urgent first; at most ``limit``."""
    due = find_due_leads(session, at, rules, where=LeadFilter(unleased_at=at))
    near = [d for d in due if 0 <= d.decision.days_left <= days]
    if not near:
        return []
    done = set(
        session.scalars(
            select(ContactAttempt.lead_id).where(
                ContactAttempt.lead_id.in_([d.decision.lead_id for d in near]),
                ContactAttempt.channel == "ivr",
                ContactAttempt.call_id.like(f"{_PREFIX}%"),
            )
        )
    )
    calls = [
        ReminderCall(
            lead_id=d.decision.lead_id,
            phone=d.phone,
            call_id=f"{_PREFIX}{d.decision.lead_id}-{d.end_date.isoformat()}",
        )
        for d in near
        if d.decision.lead_id not in done
    ]
    return calls[:limit]


def mark_placed(session: Session, call: ReminderCall, at: datetime) -> None:
    session.add(
        ContactAttempt(
            lead_id=call.lead_id,
            call_id=call.call_id,
            channel="ivr",
            started_at=at,
            outcome=PLACED,
        )
    )


def forget_placed(session: Session, call: ReminderCall) -> None:
    """The backend refused the call: drop its mark so a later run places it."""
    session.execute(delete(ContactAttempt).where(ContactAttempt.call_id == call.call_id))


Place = Callable[[ReminderCall], Awaitable[None]]
