"""The floor as the database has it: read once at start and after every ``BusResync``.

Never on a timer: between reloads the floor follows the bus. Live calls are the attempts not
yet ended (of the last day: an older open row is a crash's leftover, not a call); today's
counts are the attempts started since the business day began.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialer.abandon_counting import counts_as_abandoned
from dialer.calls.states import Outcome
from dialer.floor.state import CallPhase, FloorCall, FloorSeat, FloorState
from dialer.models import Campaign, Seat, SeatState
from renewals.models import ContactAttempt, Customer, Lead, Policy, Vehicle
from renewals.phones import mask_phone

__all__ = ["load_floor"]


def load_floor(session: Session, *, now: datetime, day_start: datetime) -> FloorState:
    """A ``FloorState`` from the stored seats, open attempts and today's outcomes."""
    caps = dict(session.execute(select(Campaign.id, Campaign.abandon_cap_pct)).tuples().all())
    floor = FloorState(caps=caps)
    today = session.execute(
        select(
            ContactAttempt.campaign_id,
            ContactAttempt.call_id,
            ContactAttempt.agent,
            ContactAttempt.outcome,
            ContactAttempt.answered_at,
            ContactAttempt.bridged_at,
        ).where(ContactAttempt.started_at >= day_start)
    ).tuples()
    for campaign_id, call_id, agent, outcome, answered_at, bridged_at in today:
        if counts_as_abandoned(outcome, answered_at, bridged_at):
            floor.count_abandon(campaign_id, call_id)
        elif bridged_at is not None or outcome == Outcome.COMPLETED.value:
            floor.count_answer(campaign_id, call_id, agent or "")
    for call in _open_calls(session, since=now - timedelta(days=1)):
        floor.put_call(call)
    seats = session.scalars(select(Seat).where(Seat.state != SeatState.LOGGED_OUT))
    for seat in seats:
        floor.put_seat(
            FloorSeat(
                seat.agent_id, seat.campaign_id or "", seat.state, seat.since,
                seat.pause_reason, seat.call_id or "",
                dead=seat.state is SeatState.ON_CALL and floor.call(seat.call_id or "") is None,
            )
        )  # fmt: skip
    return floor


def _open_calls(session: Session, *, since: datetime) -> list[FloorCall]:
    rows = session.execute(
        select(ContactAttempt, Customer.phone)
        .join(Lead, Lead.id == ContactAttempt.lead_id)
        .join(Policy, Policy.id == Lead.policy_id)
        .join(Vehicle, Vehicle.id == Policy.vehicle_id)
        .join(Customer, Customer.id == Vehicle.customer_id)
        .where(ContactAttempt.ended_at.is_(None), ContactAttempt.started_at >= since)
    ).tuples()
    calls = []
    for attempt, phone in rows:
        if attempt.bridged_at is not None:
            phase, at = CallPhase.TALKING, attempt.bridged_at
        elif attempt.answered_at is not None:
            phase, at = CallPhase.WAITING, attempt.answered_at
        else:  # dialing or ringing: the row does not say which
            phase, at = CallPhase.DIALING, attempt.started_at
        calls.append(
            FloorCall(
                attempt.call_id, attempt.campaign_id, phase, at, mask_phone(phone),
                attempt.agent or "",
            )
        )  # fmt: skip
    return calls
