"""Storing attempts: opened with the lease before the originate, closed with the lead's outcome.

An attempt row is committed before the call is placed, so a crash at any point leaves a row to
reconcile: no call is ever placed that the database does not know about. Each fact of a call
(answered, bridged to an agent, recorded to a file) is stored as it happens (``record_fact``),
so a runtime killed mid-call leaves them for the re-sync that closes the attempt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dialer.calls.machine import CallMachine
from dialer.calls.states import Outcome
from dialer.campaigns import pick_caller_id
from dialer.leasing import release_lease
from dialer.models import Campaign
from renewals.cadence.outcomes import apply_outcome
from renewals.cadence.rules import CadenceRules
from renewals.cadence.rules import Outcome as LeadOutcome
from renewals.models import ContactAttempt

__all__ = [
    "OpenAttempt",
    "close_attempt",
    "lead_outcome",
    "open_attempts",
    "record_fact",
    "recording_present",
    "withdraw_attempt",
]

log = logging.getLogger(__name__)

# Q.850 cause 1: the number does not exist — bad data, find the right contact.
_UNALLOCATED = 1


@dataclass(frozen=True, slots=True)
class OpenAttempt:
    lead_id: int
    call_id: str
    phone: str
    caller_id: str


def open_attempts(
    session: Session,
    leased: Sequence[int],
    *,
    campaign: Campaign,
    phone_of: Mapping[int, str],
    now: datetime,
    tz: str,
    new_call_id: Callable[[], str],
) -> tuple[list[OpenAttempt], list[int]]:
    """One attempt row per leased lead, each with a caller ID from the campaign's pool.

    Returns the attempts, then the leads left over once every caller ID reached its daily cap
    (their leases are the caller's to give back).
    """
    attempts: list[OpenAttempt] = []
    for i, lead_id in enumerate(leased):
        caller_id = pick_caller_id(session, campaign, now=now, tz=tz)
        if campaign.caller_ids and caller_id is None:
            return attempts, list(leased[i:])
        attempt = OpenAttempt(lead_id, new_call_id(), phone_of[lead_id], caller_id or "")
        session.add(
            ContactAttempt(
                lead_id=lead_id,
                call_id=attempt.call_id,
                campaign_id=campaign.id,
                caller_id=attempt.caller_id,
                started_at=now,
            )
        )
        session.flush()  # the caller-ID count of the next lead sees this attempt
        attempts.append(attempt)
    return attempts, []


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
        # Picked up and hung up at once: not reached, retried as an unanswered call.
        Outcome.CUSTOMER_HUNG_UP: LeadOutcome.NO_ANSWER,
    }[outcome]


def record_fact(session: Session, call_id: str, **facts: object) -> None:
    """Store facts of a call still open (``answered_at``, ``bridged_at``, ``agent``,
    ``recording_path``) as they happen; an attempt already closed is left as it is."""
    session.execute(
        update(ContactAttempt)
        .where(ContactAttempt.call_id == call_id, ContactAttempt.outcome.is_(None))
        .values(**facts)
    )


def withdraw_attempt(session: Session, *, call_id: str, owner: str) -> bool:
    """The call was never placed (the backend was unavailable): delete its open attempt and give
    the lead back, un-attempted. False if there was no open attempt."""
    attempt = session.scalars(
        select(ContactAttempt).where(
            ContactAttempt.call_id == call_id, ContactAttempt.outcome.is_(None)
        )
    ).one_or_none()
    if attempt is None:
        return False
    session.delete(attempt)
    release_lease(session, attempt.lead_id, owner=owner)
    return True


def recording_present(root: Path, path: str) -> bool:
    """The recording file exists under ``root`` (or, for an absolute path, where it says).

    Asterisk's dialplan writes ``<call_id>.raw`` and converts it to ``.wav`` after the hangup
    (docs/deploy-asterisk.md, "Recordings"): either one counts as present at the call's end.
    """
    pure = PurePosixPath(path)
    if ".." in pure.parts:
        return False  # never look outside the store
    target = Path(pure) if pure.is_absolute() else root / pure
    return target.is_file() or target.with_suffix(".raw").is_file()


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
    recordings_root: Path | None = None,
) -> ContactAttempt | None:
    """Store the call's end, the lead's next contact and give the lease back: one transaction.

    Facts already stored (``record_fact``) are kept where the machine does not know them (a
    call adopted after a restart). With ``recordings_root``, a recording path whose file is
    not there is logged and marked (``recording_missing``). Idempotent: an attempt already
    closed is left as it is (returns None).
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
        attempt.answered_at = machine.answered_at or attempt.answered_at
        attempt.bridged_at = machine.bridged_at or attempt.bridged_at
        attempt.agent = machine.agent_id or attempt.agent
        attempt.recording_path = machine.recording_path or attempt.recording_path
    path = attempt.recording_path
    if recordings_root is not None and path and not recording_present(recordings_root, path):
        attempt.recording_missing = True
        log.warning("call %s: recording %s is missing", call_id, path)
    apply_outcome(session, attempt.lead_id, lead_outcome(outcome, cause), at, rules, closed_ok=True)
    release_lease(session, attempt.lead_id, owner=owner)
    return attempt
