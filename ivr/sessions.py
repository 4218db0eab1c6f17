"""Who is calling, and what their IVR call did to their lead: the IVR's side of the database.

Outcomes go through renewals' own cadence code (``apply_outcome``, ``block_number``): an
opt-out is a permanent do-not-call entry and closes the lead; a callback request makes the
lead due at the time asked; every IVR call with a known lead leaves a ``contact_attempts``
row (channel ``ivr``) in the lead's history. One transaction per call.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ivr.engine import SessionResult
from ivr.errors import LeadNotRecognised
from ivr.models import IvrSession
from ivr.port import CallContext
from renewals.cadence.outcomes import apply_outcome, block_number
from renewals.cadence.rules import CadenceRules, Outcome
from renewals.models import (
    ContactAttempt,
    Customer,
    DncReason,
    Lead,
    LeadStatus,
    Policy,
    Vehicle,
)
from renewals.phones import InvalidPhone, mask_phone, normalise_phone

__all__ = ["IvrSessions"]

log = logging.getLogger(__name__)

_LEAD_ROW = (
    select(Lead, Policy, Vehicle, Customer)
    .join(Policy, Lead.policy_id == Policy.id)
    .join(Vehicle, Policy.vehicle_id == Vehicle.id)
    .join(Customer, Vehicle.customer_id == Customer.id)
)


class IvrSessions:
    def __init__(
        self, *, session_factory: sessionmaker[Session], rules: CadenceRules, queue: str
    ) -> None:
        self._sessions = session_factory
        self._rules = rules
        self._queue = queue  # the campaign queue transfers go to without an own agent

    def _context(
        self, row: tuple[Lead, Policy, Vehicle, Customer], call_id: str, kind: str, language: str
    ) -> CallContext:
        lead, policy, vehicle, customer = row
        return CallContext(
            call_id=call_id,
            kind="reminder" if kind == "reminder" else "inbound",
            phone=customer.phone,
            language=language,
            timezone=customer.timezone,
            lead_id=lead.id,
            plate=vehicle.plate,
            expiry_date=policy.end_date,
            owner_agent=lead.owner_agent,
            queue=self._queue,
        )

    def for_caller(self, call_id: str, caller: str, *, language: str = "zh_CN") -> CallContext:
        """An inbound call: the caller's open lead expiring soonest, if the number is known."""
        try:
            phone = normalise_phone(caller)
        except InvalidPhone:
            log.info("call %s: caller id not a mobile number; not recognised", call_id)
            return CallContext(
                call_id=call_id, kind="inbound", phone="", language=language, queue=self._queue
            )
        with self._sessions() as session:
            row = session.execute(
                _LEAD_ROW.where(Customer.phone == phone, Lead.status == LeadStatus.OPEN)
                .order_by(Policy.end_date, Lead.id)
                .limit(1)
            ).first()
        if row is None:
            log.info("call %s: caller %s has no open lead", call_id, mask_phone(phone))
            return CallContext(
                call_id=call_id, kind="inbound", phone=phone, language=language, queue=self._queue
            )
        return self._context(row._tuple(), call_id, "inbound", language)

    def for_lead(
        self,
        call_id: str,
        lead_id: int,
        kind: Literal["inbound", "reminder"] = "reminder",
        *,
        language: str = "zh_CN",
    ) -> CallContext:
        """A reminder call (placed for ``lead_id``); :class:`LeadNotRecognised` if unknown."""
        with self._sessions() as session:
            row = session.execute(_LEAD_ROW.where(Lead.id == lead_id)).first()
        if row is None:
            raise LeadNotRecognised(lead_id)
        return self._context(row._tuple(), call_id, kind, language)

    def record(
        self, ctx: CallContext, result: SessionResult, *, started_at: datetime, at: datetime
    ) -> IvrSession:
        """Store the call and move the lead on, all in one transaction."""
        outcome = result.outcome
        if outcome is None and ctx.kind == "reminder":
            outcome = "contacted"  # answered and heard the reminder, chose nothing
        with self._sessions.begin() as session:
            row = IvrSession(
                call_id=ctx.call_id,
                flow=result.flow_id,
                kind=ctx.kind,
                lead_id=ctx.lead_id,
                phone=ctx.phone,
                language=ctx.language,
                started_at=started_at,
                ended_at=at,
                outcome=outcome,
                callback_at=result.callback_at,
                transfer_to=result.transfer_to or None,
                opted_out=result.opted_out,
                caller_hung_up=result.caller_hung_up,
                steps=list(result.steps),
            )
            session.add(row)
            if ctx.lead_id is not None:
                self._on_lead(session, ctx, result, outcome, started_at, at)
            elif result.opted_out and ctx.phone:
                block_number(session, ctx.phone, DncReason.OPT_OUT, at, self._rules, source="ivr")
            session.flush()
            session.expunge(row)
        return row

    def _on_lead(
        self,
        session: Session,
        ctx: CallContext,
        result: SessionResult,
        outcome: str | None,
        started_at: datetime,
        at: datetime,
    ) -> None:
        assert ctx.lead_id is not None
        transfer = result.transfer
        # A reminder's row was written when it was placed (ivr.reminders): fill it in.
        attempt = session.scalars(
            select(ContactAttempt).where(ContactAttempt.call_id == ctx.call_id)
        ).first()
        if attempt is None:
            attempt = ContactAttempt(
                lead_id=ctx.lead_id, call_id=ctx.call_id, channel="ivr", started_at=started_at
            )
            session.add(attempt)
        attempt.campaign_id = ctx.campaign_id
        attempt.agent = transfer.name if transfer and transfer.kind == "agent" else None
        attempt.answered_at = started_at
        attempt.ended_at = at
        attempt.outcome = outcome or "hung_up"
        if outcome is not None:
            apply_outcome(
                session,
                ctx.lead_id,
                Outcome(outcome),
                at,
                self._rules,
                callback_at=result.callback_at,
                # An inbound call is not an attempt of ours; a reminder call is.
                count_attempt=ctx.kind == "reminder",
                closed_ok=True,
            )
        if result.opted_out and ctx.phone:
            # apply_outcome blocks the customer's number on file; the number that called or
            # was called is blocked too should it differ.
            block_number(session, ctx.phone, DncReason.OPT_OUT, at, self._rules, source="ivr")
