"""Leads as an agent sees them: only their own, numbers masked, the quote panel and history.

A lead is the agent's when it is assigned to them (``leads.owner_agent``), when one of its
calls reached them (``contact_attempts.agent``), or when it is the call their seat is on or
wrapping up now. Anything else is :class:`NotYours` (403), an unknown lead :class:`NotFound`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from agent_console.errors import NotFound, NotYours
from agent_console.pop import attempt_history, lead_header, quote_panel
from dialer.models import Campaign, Seat, SeatState
from renewals.cadence.query import LeadFilter, find_due_leads
from renewals.cadence.rules import CadenceRules
from renewals.cadence.sticky import StickyCallbacks
from renewals.models import ContactAttempt, Customer, Lead, Policy, Vehicle
from renewals.phones import mask_phone
from renewals.quoting import QuoteRules, QuotingError, build_quote

__all__ = ["attempt_of_call", "check_visible", "lead_card", "next_preview"]

PREVIEW_BATCH = 20


def _on_seat_call(session: Session, agent_id: str, lead_id: int) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    Seat.agent_id == agent_id,
                    Seat.state.in_((SeatState.ON_CALL, SeatState.WRAP_UP, SeatState.RESERVED)),
                    ContactAttempt.call_id == Seat.call_id,
                    ContactAttempt.lead_id == lead_id,
                )
            )
        )
    )


def check_visible(session: Session, agent_id: str, lead_id: int) -> Lead:
    """The lead if ``agent_id`` may see it; raises :class:`NotFound` / :class:`NotYours`."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound("lead", lead_id)
    if lead.owner_agent == agent_id:
        return lead
    reached = session.scalar(
        select(exists().where(ContactAttempt.lead_id == lead_id, ContactAttempt.agent == agent_id))
    )
    if reached or _on_seat_call(session, agent_id, lead_id):
        return lead
    raise NotYours("lead", lead_id)


def attempt_of_call(session: Session, call_id: str) -> ContactAttempt | None:
    return session.scalars(
        select(ContactAttempt).where(ContactAttempt.call_id == call_id)
    ).one_or_none()


def next_preview(
    session: Session,
    *,
    agent_id: str,
    campaign: Campaign,
    at: datetime,
    rules: CadenceRules,
    language: str,
    present: tuple[str, ...] = (),
) -> dict[str, object] | None:
    """The next lead this agent would dial: theirs or unassigned, due now, best first; a due
    callback kept for them comes first, one kept for another agent is left to them
    (``present``: the agents logged in)."""
    where = LeadFilter(
        stages=tuple(campaign.filter_stages),
        regions=tuple(campaign.filter_regions),
        unleased_at=at,
    )
    sticky = StickyCallbacks(agent=agent_id, present=present, at=at, grace=rules.callback_grace)
    kept = find_due_leads(session, at, rules, limit=1, where=replace(where, kept_for=(agent_id,)))
    due = kept or find_due_leads(
        session, at, rules, limit=PREVIEW_BATCH, where=replace(where, sticky=sticky)
    )
    owners = dict(
        session.execute(
            select(Lead.id, Lead.owner_agent).where(Lead.id.in_([d.decision.lead_id for d in due]))
        )
        .tuples()
        .all()
    )
    for lead in due:
        if owners.get(lead.decision.lead_id) in (None, agent_id):
            reason = lead.decision.reason
            return {
                "lead_id": lead.decision.lead_id,
                "plate": lead.plate,
                "customer_name": lead.customer_name,
                "phone": mask_phone(lead.phone),
                "end_date": lead.end_date.isoformat(),
                "days_left": lead.decision.days_left,
                "stage": lead.decision.stage.value if lead.decision.stage else None,
                "reason_code": reason.code,
                "reason": reason.en if language == "en" else reason.zh,
                "kept": bool(kept),  # a callback kept for this agent
            }
    return None


def lead_card(
    session: Session,
    lead: Lead,
    *,
    at: datetime,
    timezone: str,
    quoting: QuoteRules,
    language: str,
    gifts: str = "",
) -> dict[str, object]:
    """The screen-pop: customer (masked), vehicle, quote panel with the gifts on offer, claims
    and contact history."""
    policy = session.get(Policy, lead.policy_id)
    assert policy is not None  # a lead always has its policy (foreign key)
    vehicle = session.get(Vehicle, policy.vehicle_id)
    assert vehicle is not None
    customer = session.get(Customer, vehicle.customer_id)
    assert customer is not None
    today = at.astimezone(ZoneInfo(timezone)).date()
    try:
        panel = quote_panel(build_quote(session, vehicle.plate, today, quoting), language)
    except QuotingError as exc:  # a book row the quote rules cannot price: say so, show the rest
        panel = {"error": str(exc)}
    panel["gifts"] = gifts
    return {
        "lead": lead_header(lead, customer, policy, vehicle),
        "quote": panel,
        "claims": [
            {
                "occurred_on": c.occurred_on.isoformat() if c.occurred_on else None,
                "amount_cents": c.amount_cents,
            }
            for c in policy.claims
        ],
        "history": attempt_history(session, lead.id),
    }
