"""What the agent records when a conversation ends: stored with the lead's new cadence state.

The call's attempt was already counted when it hung up (as "contacted"); the disposition
refines that outcome (agreed, declined with a reason, a callback time, …) without counting the
attempt twice, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from renewals.cadence.outcomes import apply_outcome
from renewals.cadence.rules import CadenceRules, Outcome
from renewals.errors import InvalidDisposition
from renewals.models import DeclineReason, Disposition, DispositionKind, Lead, LeadStatus

__all__ = ["DispositionInput", "record_disposition"]

_OUTCOME = {
    DispositionKind.AGREED: Outcome.AGREED,
    DispositionKind.DECLINED: Outcome.DECLINED,
    DispositionKind.CALLBACK: Outcome.CALLBACK,
    DispositionKind.WRONG_NUMBER: Outcome.WRONG_NUMBER,
    DispositionKind.DO_NOT_CALL: Outcome.OPT_OUT,
    DispositionKind.NO_DECISION: Outcome.CONTACTED,
}


@dataclass(frozen=True, kw_only=True)
class DispositionInput:
    """An agent's wrap-up form. Money in cents; ``callback_at`` aware."""

    lead_id: int
    agent: str
    kind: DispositionKind
    attempt_id: int | None = None
    decline_reason: DeclineReason | None = None
    callback_at: datetime | None = None
    deal_date: date | None = None
    premium_written_cents: int | None = None
    gifts: str = ""
    notes: str = ""
    callback_kept: bool = False  # a callback kept for this agent alone (sticky)


def _validate(form: DispositionInput, at: datetime) -> None:
    def bad(field: str, reason: str) -> InvalidDisposition:
        return InvalidDisposition(form.lead_id, field, reason)

    if form.kind is DispositionKind.DECLINED and form.decline_reason is None:
        raise bad("decline_reason", "a declined renewal needs its reason (product/service/price)")
    if form.kind is not DispositionKind.DECLINED and form.decline_reason is not None:
        raise bad("decline_reason", "only a declined renewal has a reason")
    if form.callback_kept and form.kind is not DispositionKind.CALLBACK:
        raise bad("callback_kept", "only a callback can be kept for the agent")
    if form.kind is DispositionKind.CALLBACK:
        if form.callback_at is None:
            raise bad("callback_at", "a callback needs the time the customer chose")
        if form.callback_at <= at:
            raise bad("callback_at", "the callback time is in the past")
    if form.premium_written_cents is not None:
        if form.kind is not DispositionKind.AGREED:
            raise bad("premium_written_cents", "only an agreed renewal writes a premium")
        if form.premium_written_cents <= 0:
            raise bad("premium_written_cents", "must be a positive amount of cents")


def record_disposition(
    session: Session, form: DispositionInput, *, at: datetime, rules: CadenceRules
) -> Disposition:
    """Validate, store the disposition and move the lead on; raises :class:`InvalidDisposition`."""
    _validate(form, at)
    lead = session.get(Lead, form.lead_id)
    if not (
        form.kind is DispositionKind.DO_NOT_CALL
        and lead is not None
        and lead.status is LeadStatus.DO_NOT_CALL
    ):  # else the agent's do-not-call button already blocked the number and closed the lead
        lead = apply_outcome(
            session,
            form.lead_id,
            _OUTCOME[form.kind],
            at,
            rules,
            callback_at=form.callback_at,
            count_attempt=False,
        )
    if form.callback_kept and lead is not None:
        lead.callback_agent = form.agent  # sticky: only this agent gets it when due
    deal_date = form.deal_date
    if form.kind is DispositionKind.AGREED and deal_date is None:
        deal_date = at.date()
    disposition = Disposition(
        lead_id=form.lead_id,
        attempt_id=form.attempt_id,
        agent=form.agent,
        at=at,
        kind=form.kind,
        decline_reason=form.decline_reason,
        callback_at=form.callback_at,
        deal_date=deal_date,
        premium_written_cents=form.premium_written_cents,
        gifts=form.gifts,
        notes=form.notes,
    )
    session.add(disposition)
    session.flush()
    return disposition
