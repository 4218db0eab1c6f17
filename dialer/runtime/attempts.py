"""Storing attempts: opened with the lease before the originate, closed with the lead's outcome.

An attempt row is committed before the call is placed, so a crash at any point leaves a row to
reconcile: no call is ever placed that the database does not know about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialer.calls.machine import CallMachine
from dialer.calls.states import Outcome
from dialer.leasing import release_lease
from renewals.cadence.outcomes import apply_outcome
from renewals.cadence.rules import CadenceRules
from renewals.cadence.rules import Outcome as LeadOutcome
from renewals.models import ContactAttempt

__all__ = ["OpenAttempt", "close_attempt", "lead_outcome", "open_attempts"]

# Q.850 cause 1: the number does not exist — bad data, find the right contact.
_UNALLOCATED = 1


@dataclass(frozen=True, slots=True)
class OpenAttempt:
    lead_id: int
    call_id: str
    phone: str
    caller_id: str


def open_attempts(
    session: Session, attempts: Sequence[OpenAttempt], *, campaign_id: str, now: datetime
) -> None:
    for a in attempts:
        session.add(
            ContactAttempt(
                lead_id=a.lead_id,
                call_id=a.call_id,
                campaign_id=campaign_id,
                caller_id=a.caller_id,
                started_at=now,
            )
        )


def lead_outcome(outcome: Outcome, cause: int | None) -> LeadOutcome:
    """What an ended call means for the lead; an agent's disposition refines a completed one."""
    if outcome is Outcome.FAILED and cause == _UNALLOCATED:
        return LeadOutcome.WRONG_NUMBER
    return {
        Outcome.COMPLETED: LeadOutcome.CONTACTED,
        Outcome.ABANDONED: LeadOutcome.ABANDONED,
        Outcome.MACHINE: LeadOutcome.MACHINE,
        Outcome.BUSY: LeadOutcome.BUSY,
        Outcome.NO_ANSWER: LeadOutcome.NO_ANSWER,
        Outcome.FAILED: LeadOutcome.FAILED,
        Outcome.INTERRUPTED: LeadOutcome.FAILED,
    }[outcome]


def close_attempt(
    session: Session,
    *,
    call_id: str,
    outcome: Outcome,
    cause: int | None,
    machine: CallMachine | None,
    owner: str,
    rules: CadenceRules,
    at: datetime,
) -> ContactAttempt | None:
    """Store the call's end, the lead's next contact and give the lease back: one transaction.

    Idempotent: an attempt already closed is left as it is (returns None).
    """
    attempt = session.scalars(
        select(ContactAttempt).where(ContactAttempt.call_id == call_id).with_for_update()
    ).one()
    if attempt.outcome is not None:
        return None
    attempt.outcome = outcome.value
    attempt.hangup_cause = cause
    attempt.ended_at = machine.ended_at if machine and machine.ended_at else at
    if machine is not None:
        attempt.answered_at = machine.answered_at
        attempt.bridged_at = machine.bridged_at
        attempt.agent = machine.agent_id or None
        attempt.recording_path = machine.recording_path or None
    apply_outcome(session, attempt.lead_id, lead_outcome(outcome, cause), at, rules, closed_ok=True)
    release_lease(session, attempt.lead_id, owner=owner)
    return attempt
