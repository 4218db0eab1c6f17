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

__all__ = ["CadenceService"]

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
        if outcome == Outcome.CALLBACK and callback_at is None:
            raise CallbackTimeMissing(lead_id)
        with self._sessions.begin() as session:
            lead = session.get(Lead, lead_id, with_for_update=True)
            if lead is None:
                raise LeadNotFound(lead_id)
            if lead.status != LeadStatus.OPEN:
                raise LeadClosed(lead_id, lead.status.value)
            customer = _customer_of(session, lead)
            self._apply(lead, outcome, at, callback_at, customer.timezone)
            if outcome in (Outcome.REFUSED, Outcome.OPT_OUT):
                reason = DncReason.OPT_OUT if outcome == Outcome.OPT_OUT else DncReason.REFUSED
                self._block(session, customer.phone, reason, at, source="outcome")
            log.info("lead %s: %s, next contact %s", lead_id, outcome.value, lead.next_contact_at)
            return lead

    def add_do_not_call(
        self, phone: str, reason: DncReason, at: datetime, *, source: str = "agent"
    ) -> DoNotCall:
        """Block ``phone`` (any spelling of a mobile number) from ``at``; idempotent."""
        with self._sessions.begin() as session:
            return self._block(session, normalise_phone(phone), reason, at, source=source)

    def _apply(
        self,
        lead: Lead,
        outcome: Outcome,
        at: datetime,
        callback_at: datetime | None,
        timezone: str,
    ) -> None:
        today = local_time(at, timezone, self._rules.default_timezone).date()
        lead.attempts += 1
        lead.day_attempts = lead.day_attempts + 1 if lead.day_attempts_date == today else 1
        lead.day_attempts_date = today
        if outcome in _REACHED:
            lead.contacts += 1
        lead.last_attempt_at = at
        lead.last_outcome = outcome.value
        lead.updated_at = at
        if outcome in _FINAL:
            lead.status = _FINAL[outcome]
            lead.stage = LeadStage.CLOSED
            lead.next_contact_at = None
        elif outcome == Outcome.CALLBACK:
            lead.next_contact_at = callback_at
        else:
            lead.next_contact_at = at + self._rules.retry_spacing[outcome]

    def _block(
        self, session: Session, phone: str, reason: DncReason, at: datetime, *, source: str
    ) -> DoNotCall:
        expires = (
            None
            if reason == DncReason.OPT_OUT
            else add_months(at, self._rules.refusal_block_months)
        )
        existing = session.scalars(
            select(DoNotCall)
            .where(DoNotCall.phone == phone, DoNotCall.reason == reason)
            .where(or_(DoNotCall.expires_at.is_(None), DoNotCall.expires_at >= (expires or at)))
            .limit(1)
        ).first()
        if existing is not None:
            return existing  # already blocked at least as long: nothing to add
        entry = DoNotCall(
            phone=phone, reason=reason, source=source, created_at=at, expires_at=expires
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
