"""The operations the dialer and the agent console call: record an outcome, block a number.

Each runs in one transaction of its own (the service owns the boundary, callers pass ids).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from renewals.cadence.calendar import add_months, local_time
from renewals.cadence.errors import CallbackTimeMissing, LeadClosed, LeadNotFound
from renewals.cadence.rules import CadenceRules, Outcome
from renewals.models import (
    Customer,
    DncReason,
    DoNotCall,
    Lead,
    LeadStage,
    LeadStatus,
    Policy,
    Vehicle,
)
from renewals.phones import mask_phone, normalise_phone

__all__ = ["CadenceService", "apply_outcome", "block_number", "record_opt_out"]

log = logging.getLogger(__name__)

# Outcomes where the customer was reached (they count towards the tenure's contact target).
_REACHED = {
    Outcome.CALLBACK,
    Outcome.CONTACTED,
    Outcome.DECLINED,
    Outcome.AGREED,
    Outcome.REFUSED,
    Outcome.OPT_OUT,
}
# Outcomes that end the case: the status they set.
_FINAL = {
    Outcome.AGREED: LeadStatus.WON,
    Outcome.REFUSED: LeadStatus.LOST,
    Outcome.OPT_OUT: LeadStatus.DO_NOT_CALL,
    Outcome.WRONG_NUMBER: LeadStatus.BAD_DATA,
}


class CadenceService:
    """Writes to the cadence state of leads; reads stay in :mod:`renewals.cadence.query`."""

    def __init__(self, *, session_factory: sessionmaker[Session], rules: CadenceRules) -> None:
        self._sessions = session_factory
        self._rules = rules

    def record_outcome(
        self,
        lead_id: int,
        outcome: Outcome,
        at: datetime,
        *,
        callback_at: datetime | None = None,
    ) -> Lead:
        """Count the attempt, remember the outcome and schedule the next contact.

        ``callback_at`` (aware) is required for :attr:`Outcome.CALLBACK`. A refusal blocks the
        number for ``refusal_block_months``; an opt-out blocks it for ever.
        """
        with self._sessions.begin() as session:
            return apply_outcome(
                session, lead_id, outcome, at, self._rules, callback_at=callback_at
            )

    def add_do_not_call(
        self, phone: str, reason: DncReason, at: datetime, *, source: str = "agent"
    ) -> DoNotCall:
        """Block ``phone`` (any spelling of a mobile number) from ``at``; idempotent."""
        with self._sessions.begin() as session:
            return block_number(
                session, normalise_phone(phone), reason, at, self._rules, source=source
            )


def apply_outcome(
    session: Session,
    lead_id: int,
    outcome: Outcome,
    at: datetime,
    rules: CadenceRules,
    *,
    callback_at: datetime | None = None,
    count_attempt: bool = True,
    closed_ok: bool = False,
) -> Lead:
    """:meth:`CadenceService.record_outcome` inside the caller's transaction.

    The dialer stores a call's attempt, the lead's next contact and the lease release in one
    transaction with it. ``count_attempt=False`` is an agent's disposition refining the outcome
    of an attempt already counted. ``closed_ok``: the lead was closed meanwhile (say, opted out
    through another campaign): the attempt is counted, nothing is rescheduled.
    """
    if outcome == Outcome.CALLBACK and callback_at is None:
        raise CallbackTimeMissing(lead_id)
    lead = session.get(Lead, lead_id, with_for_update=True)
    if lead is None:
        raise LeadNotFound(lead_id)
    customer = _customer_of(session, lead)
    if lead.status != LeadStatus.OPEN:
        if not closed_ok:
            raise LeadClosed(lead_id, lead.status.value)
        _count(lead, outcome, at, customer.timezone, rules)
        return lead
    if count_attempt:
        _count(lead, outcome, at, customer.timezone, rules)
    _schedule(lead, outcome, at, callback_at, rules)
    if outcome in (Outcome.REFUSED, Outcome.OPT_OUT):
        reason = DncReason.OPT_OUT if outcome == Outcome.OPT_OUT else DncReason.REFUSED
        block_number(session, customer.phone, reason, at, rules, source="outcome")
    log.info("lead %s: %s, next contact %s", lead_id, outcome.value, lead.next_contact_at)
    return lead


def _count(lead: Lead, outcome: Outcome, at: datetime, timezone: str, rules: CadenceRules) -> None:
    today = local_time(at, timezone, rules.default_timezone).date()
    lead.attempts += 1
    lead.day_attempts = lead.day_attempts + 1 if lead.day_attempts_date == today else 1
    lead.day_attempts_date = today
    if outcome in _REACHED:
        lead.contacts += 1
    lead.last_attempt_at = at


def _schedule(
    lead: Lead,
    outcome: Outcome,
    at: datetime,
    callback_at: datetime | None,
    rules: CadenceRules,
) -> None:
    lead.last_outcome = outcome.value
    lead.updated_at = at
    # Any new outcome ends a sticky callback; a disposition setting a new one sets it after.
    lead.callback_agent = None
    if outcome in _FINAL:
        lead.status = _FINAL[outcome]
        lead.stage = LeadStage.CLOSED
        lead.next_contact_at = None
    elif outcome == Outcome.CALLBACK:
        lead.next_contact_at = callback_at
    else:
        lead.next_contact_at = at + rules.retry_spacing[outcome]


def record_opt_out(
    session: Session,
    lead_id: int,
    at: datetime,
    rules: CadenceRules,
    *,
    source: str,
    call_id: str | None,
    agent: str | None = None,
) -> DoNotCall:
    """The customer asked, during call ``call_id``, never to be called again: a legal obligation.

    ``agent``: the agent who pressed the do-not-call button (None for a key the customer pressed).

    The number goes on the do-not-call list for ever (whatever the lead's state: a won or lost
    case still has a customer who must not be called), and an open lead is closed as opted out
    so it is never due again. The call's attempt is counted when the call is stored, not here.
    In the caller's transaction; idempotent.
    """
    lead = session.get(Lead, lead_id, with_for_update=True)
    if lead is None:
        raise LeadNotFound(lead_id)
    customer = _customer_of(session, lead)
    entry = block_number(
        session,
        customer.phone,
        DncReason.OPT_OUT,
        at,
        rules,
        source=source,
        call_id=call_id,
        agent=agent,
    )
    if lead.status == LeadStatus.OPEN:
        _schedule(lead, Outcome.OPT_OUT, at, None, rules)
    log.info("lead %s: opted out during call %s (%s)", lead_id, call_id, source)
    return entry


def block_number(
    session: Session,
    phone: str,
    reason: DncReason,
    at: datetime,
    rules: CadenceRules,
    *,
    source: str,
    call_id: str | None = None,
    agent: str | None = None,
) -> DoNotCall:
    """Put ``phone`` (normalised) on the do-not-call list from ``at``; idempotent.

    ``call_id`` names the call in which the customer asked for it, if any; ``agent`` the agent
    who entered it.
    """
    expires = None if reason == DncReason.OPT_OUT else add_months(at, rules.refusal_block_months)
    existing = session.scalars(
        select(DoNotCall)
        .where(DoNotCall.phone == phone, DoNotCall.reason == reason)
        .where(or_(DoNotCall.expires_at.is_(None), DoNotCall.expires_at >= (expires or at)))
        .limit(1)
    ).first()
    if existing is not None:
        return existing  # already blocked at least as long: nothing to add
    entry = DoNotCall(
        phone=phone,
        reason=reason,
        source=source,
        created_at=at,
        expires_at=expires,
        call_id=call_id,
        agent=agent,
    )
    session.add(entry)
    log.info("do-not-call %s: %s until %s", mask_phone(phone), reason.value, expires or "ever")
    return entry


def _customer_of(session: Session, lead: Lead) -> Customer:
    return session.scalars(
        select(Customer)
        .join(Vehicle, Vehicle.customer_id == Customer.id)
        .join(Policy, Policy.vehicle_id == Vehicle.id)
        .where(Policy.id == lead.policy_id)
    ).one()
