"""The agent's work on leads: preview and dial by lead id, and the wrap-up disposition."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from agent_console.errors import NotFound, NotYours, SeatProblem
from agent_console.leads import attempt_of_call, check_visible, next_preview
from agent_console.schemas import DispositionCreate, DispositionPublic
from agent_console.seat import SeatService
from agent_console.services import ConsoleServices
from dialer.models import Campaign, CampaignMode, Seat, SeatState
from renewals.dispositions import DispositionInput, record_disposition
from renewals.models import Disposition, Lead

__all__ = ["WorkService"]


class WorkService:
    def __init__(self, services: ConsoleServices, seats: SeatService) -> None:
        self._s, self._seats = services, seats

    def preview(self, agent_id: str, language: str) -> dict[str, object] | None:
        """The next lead to dial (preview campaigns), or None when none is due."""
        floor = self._seats.floor_of(agent_id)
        with self._s.sessions() as session:
            campaign = session.get(Campaign, floor.campaign_id)
            if campaign is None:
                raise NotFound("campaign", floor.campaign_id)
            if campaign.mode is not CampaignMode.PREVIEW:
                raise SeatProblem("This campaign delivers calls; there is nothing to preview.")
            return next_preview(
                session,
                agent_id=agent_id,
                campaign=campaign,
                at=self._s.clock.now(),
                rules=self._s.cadence,
                language=language,
                present=tuple(seat.agent_id for seat in floor.desk.seats()),
            )

    async def dial(self, agent_id: str, lead_id: int) -> str:
        """One click: the server dials the lead (its number never leaves the server)."""
        floor = self._seats.floor_of(agent_id)
        with self._s.sessions() as session:
            lead = session.get(Lead, lead_id)
            if lead is None:
                raise NotFound("lead", lead_id)
            if lead.owner_agent not in (None, agent_id):
                raise NotYours("lead", lead_id)
        if floor.runtime is None:
            raise SeatProblem("Dialing runs in another process; preview dial is not served here.")
        call_id = await floor.runtime.preview_dial(agent_id, lead_id=lead_id)
        if call_id is None:
            raise SeatProblem("The lead cannot be dialled now (not due, taken, or seat not ready).")
        return call_id

    async def dispose(
        self, agent_id: str, lead_id: int, form: DispositionCreate
    ) -> DispositionPublic:
        """Store the disposition with the lead's next contact, then ready or pause the seat."""
        if form.then == "pause" and (
            form.pause_code is None or self._s.options.pause_code(form.pause_code) is None
        ):
            raise SeatProblem("Unknown pause code.", code=form.pause_code)
        at = self._s.clock.now()
        with self._s.sessions.begin() as session:
            check_visible(session, agent_id, lead_id)
            attempt = attempt_of_call(session, form.call_id)
            if attempt is None or attempt.lead_id != lead_id:
                raise NotFound("call", form.call_id)
            if attempt.outcome is None:
                raise SeatProblem("Wait until the call has ended.")
            if session.scalar(select(Disposition.id).where(Disposition.attempt_id == attempt.id)):
                raise SeatProblem("This call already has its disposition.")
            disposition = record_disposition(
                session,
                DispositionInput(
                    lead_id=lead_id,
                    agent=agent_id,
                    kind=form.kind,
                    attempt_id=attempt.id,
                    decline_reason=form.decline_reason,
                    callback_at=self._aware(form.callback_at),
                    deal_date=form.deal_date,
                    premium_written_cents=form.premium_cents,
                    gifts=form.gifts,
                    notes=form.notes,
                    callback_kept=form.callback_kept,
                ),
                at=at,
                rules=self._s.cadence,
            )
            lead = session.get(Lead, lead_id)
            assert lead is not None
            result = DispositionPublic(
                id=disposition.id,
                lead_id=lead_id,
                kind=disposition.kind,
                next_contact_at=lead.next_contact_at,
                lead_status=lead.status.value,
            )
            seat = session.get(Seat, agent_id)
            wrapping = seat is not None and seat.state is SeatState.WRAP_UP
        if wrapping:
            if form.then == "pause" and form.pause_code:
                await self._seats.pause(agent_id, form.pause_code)
            else:
                await self._seats.ready(agent_id)
        return result

    def _aware(self, value: datetime | None) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=ZoneInfo(self._s.timezone))
