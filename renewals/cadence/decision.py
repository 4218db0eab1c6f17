"""The pure rule: is one lead due at instant ``at``, why, in which stage, with what priority.

No database and no clock here: the caller hands in a snapshot of the lead and the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from renewals.cadence.calendar import local_time
from renewals.cadence.reasons import Reason, Reasons
from renewals.cadence.rules import CadenceRules, Outcome
from renewals.models import DncReason, LeadStage, LeadStatus

__all__ = ["Decision", "DncBlock", "LeadSnapshot", "decide", "priority_score", "stage_for"]

# Priority weights: a callback the customer asked for beats everything, then the stage (closer
# to expiry first), then urgency within the stage, then how far the lead is from its contact
# target (first-year customers need more contacts, so they come earlier).
CALLBACK_WEIGHT = 10_000
STAGE_WEIGHT_FIRST_CALL = 1_000
STAGE_WEIGHT_QUOTE = 2_000
STAGE_WEIGHT_FOLLOW_UP = 3_000
DAY_WEIGHT = 10
MISSING_CONTACT_WEIGHT = 100
TARGET_MET_PENALTY = 500
_STAGE_WEIGHT = {
    LeadStage.FIRST_CALL: STAGE_WEIGHT_FIRST_CALL,
    LeadStage.QUOTE: STAGE_WEIGHT_QUOTE,
    LeadStage.FOLLOW_UP: STAGE_WEIGHT_FOLLOW_UP,
}


@dataclass(frozen=True, kw_only=True)
class DncBlock:
    """A do-not-call entry on the lead's phone number; ``expires_at`` None means permanent."""

    reason: DncReason
    expires_at: datetime | None

    def active(self, at: datetime) -> bool:
        return self.expires_at is None or at < self.expires_at


@dataclass(frozen=True, kw_only=True)
class LeadSnapshot:
    """What the rules read of a lead, its policy and its customer."""

    lead_id: int
    status: LeadStatus
    stage: LeadStage
    end_date: date
    timezone: str
    tenure_years: int
    attempts: int
    contacts: int
    day_attempts: int
    day_attempts_date: date | None
    last_outcome: str | None
    next_contact_at: datetime | None
    dnc: DncBlock | None = None


@dataclass(frozen=True, kw_only=True)
class Decision:
    lead_id: int
    due: bool
    reason: Reason
    stage: LeadStage | None  # None: not yet in the renewal list
    days_left: int  # days to expiry in the customer's calendar (negative after expiry)
    priority: int  # higher is called first; 0 when not due


def stage_for(days_left: int, rules: CadenceRules) -> LeadStage | None:
    """The cadence stage ``days_left`` days before expiry (None before the list)."""
    if days_left > rules.list_days:
        return None
    if days_left > rules.first_call_days:
        return LeadStage.LISTED
    if days_left > rules.quote_days:
        return LeadStage.FIRST_CALL
    if days_left > rules.step_up_days:
        return LeadStage.QUOTE
    if days_left >= -rules.grace_days_after_expiry:
        return LeadStage.FOLLOW_UP
    return LeadStage.CLOSED


def decide(lead: LeadSnapshot, at: datetime, rules: CadenceRules) -> Decision:
    """Decide for one lead at ``at`` (aware). The first rule that blocks gives the reason."""
    local = local_time(at, lead.timezone, rules.default_timezone)
    days_left = (lead.end_date - local.date()).days
    stage = stage_for(days_left, rules)

    def no(reason: Reason) -> Decision:
        return Decision(
            lead_id=lead.lead_id,
            due=False,
            reason=reason,
            stage=stage,
            days_left=days_left,
            priority=0,
        )

    blocked = _closed_or_blocked(lead, at, stage)
    if blocked is not None:
        return no(blocked)
    if not rules.calling_start <= local.time() < rules.calling_end:
        return no(Reasons.OUTSIDE_HOURS)
    callback = lead.last_outcome == Outcome.CALLBACK
    if lead.next_contact_at is not None and at < lead.next_contact_at:
        return no(Reasons.CALLBACK_LATER if callback else Reasons.RETRY_WAIT)
    today = lead.day_attempts if lead.day_attempts_date == local.date() else 0
    if today >= rules.daily_attempt_cap and not callback:
        # A time the customer chose is honoured even after the day's cap was reached.
        return no(Reasons.DAILY_CAP)
    assert stage is not None  # _closed_or_blocked returned for None
    return Decision(
        lead_id=lead.lead_id,
        due=True,
        reason=_due_reason(stage, callback),
        stage=stage,
        days_left=days_left,
        priority=priority_score(lead, stage, days_left, rules, callback=callback),
    )


def _closed_or_blocked(lead: LeadSnapshot, at: datetime, stage: LeadStage | None) -> Reason | None:
    if lead.status != LeadStatus.OPEN or lead.stage == LeadStage.CLOSED:
        return Reasons.NOT_OPEN
    if lead.dnc is not None and lead.dnc.active(at):
        if lead.dnc.reason == DncReason.OPT_OUT:
            return Reasons.DO_NOT_CALL_OPT_OUT
        return Reasons.DO_NOT_CALL_REFUSED
    if stage is None:
        return Reasons.NOT_LISTED
    if stage == LeadStage.CLOSED:
        return Reasons.EXPIRED
    if stage == LeadStage.LISTED:
        return Reasons.WAITING_FIRST_CALL
    return None


def _due_reason(stage: LeadStage, callback: bool) -> Reason:
    if callback:
        return Reasons.CALLBACK_DUE
    if stage == LeadStage.FIRST_CALL:
        return Reasons.FIRST_CALL
    if stage == LeadStage.QUOTE:
        return Reasons.QUOTE
    return Reasons.FOLLOW_UP


def priority_score(
    lead: LeadSnapshot, stage: LeadStage, days_left: int, rules: CadenceRules, *, callback: bool
) -> int:
    """Higher first. Shaped by stage, days to expiry and the contact target for the tenure."""
    target = rules.target_for(lead.tenure_years)
    score = _STAGE_WEIGHT.get(stage, 0) + max(rules.first_call_days - days_left, 0) * DAY_WEIGHT
    score += max(target.min_contacts - lead.contacts, 0) * MISSING_CONTACT_WEIGHT
    if target.max_contacts is not None and lead.contacts >= target.max_contacts:
        score -= TARGET_MET_PENALTY
    if callback:
        score += CALLBACK_WEIGHT
    return score
