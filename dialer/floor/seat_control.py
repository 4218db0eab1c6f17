"""Seat control from the supervisors' page: force a pause or a log-out (with a reason), and hand a
lead to another agent. Every attempt is audited, done or refused.

A forced log-out of an agent on a call first hangs the call up through the telephony port and
waits for the desk to move the seat to wrap-up (the runtime does, on the hang-up), so the call's
outcome is stored as usual and the seat leaves the queue with no leg left up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from sqlalchemy.orm import Session, sessionmaker

from dialer.bus.port import EventBus
from dialer.errors import DialerError, SeatTransitionNotAllowed
from dialer.floor.audit import record_action
from dialer.floor.errors import FloorError
from dialer.floor.models import AuditOutcome
from dialer.models import Seat, SeatState
from dialer.seats import SeatDesk
from dialer.seats.events import SeatChanged
from dialer.telephony.port import TelephonyPort
from renewals.clock import Clock
from renewals.models import Lead

__all__ = ["SeatControl"]

log = logging.getLogger(__name__)

_HANG_UP_WAIT_S = 10.0  # how long a forced log-out waits for the call's hang-up to reach the seat


class SeatControl:
    def __init__(self, *, sessions: sessionmaker[Session], clock: Clock, bus: EventBus) -> None:
        self._sessions, self._clock, self._bus = sessions, clock, bus

    def _seat(self, agent_id: str) -> tuple[SeatState, str]:
        with self._sessions() as session:
            seat = session.get(Seat, agent_id)
            if seat is None:
                return SeatState.LOGGED_OUT, ""
            return seat.state, seat.call_id or ""

    async def force_pause(
        self, desk: SeatDesk, agent_id: str, *, reason: str, supervisor: str
    ) -> None:
        """Pause the seat now; refused on a call (pause it after, or log it out)."""
        state, call_id = self._seat(agent_id)
        audit = {"agent_id": agent_id, "call_id": call_id, "old_value": state.value}
        try:
            if state in (SeatState.LOGGED_OUT, SeatState.ON_CALL):
                raise SeatTransitionNotAllowed(agent_id, state.value, SeatState.PAUSED.value)
            await desk.pause(agent_id, reason=reason)
        except DialerError as exc:
            self._audit(supervisor, "seat.pause", AuditOutcome.REFUSED, detail=str(exc), **audit)
            raise
        self._audit(supervisor, "seat.pause", AuditOutcome.DONE, new_value=reason, **audit)

    async def force_logout(
        self, desk: SeatDesk, port: TelephonyPort, agent_id: str, *, reason: str, supervisor: str
    ) -> None:
        """Log the seat out; a call it holds is hung up first (its outcome stored as usual)."""
        state, call_id = self._seat(agent_id)
        audit = {"agent_id": agent_id, "call_id": call_id, "old_value": state.value}
        try:
            if state is SeatState.LOGGED_OUT:
                raise FloorError(f"seat {agent_id} is not logged in")
            if state is SeatState.ON_CALL and call_id:
                await self._hang_up_and_wait(port, agent_id, call_id)
            elif state is SeatState.RESERVED:
                if call_id:
                    await port.hangup(call_id)
                await desk.pause(agent_id, reason="forced")  # reserved cannot log out at once
            await desk.logout(agent_id)
        except DialerError as exc:
            self._audit(supervisor, "seat.logout", AuditOutcome.REFUSED, detail=str(exc), **audit)
            raise
        self._audit(
            supervisor, "seat.logout", AuditOutcome.DONE, new_value="logged_out", detail=reason,
            **audit,
        )  # fmt: skip

    async def _hang_up_and_wait(self, port: TelephonyPort, agent_id: str, call_id: str) -> None:
        changes = self._bus.subscribe(SeatChanged)  # before the hang-up: its change is not missed
        try:
            await port.hangup(call_id)
            async with asyncio.timeout(_HANG_UP_WAIT_S):
                await _left_call(changes, agent_id)
        except TimeoutError:
            raise FloorError(f"seat {agent_id}: the hang-up of {call_id} did not arrive") from None
        finally:
            close = getattr(changes, "aclose", None)
            if close is not None:
                await close()

    def reassign_lead(self, lead_id: int, agent_id: str, *, supervisor: str) -> None:
        """The lead's calls go to ``agent_id`` from now on ("" returns it to everyone)."""
        with self._sessions.begin() as session:
            lead = session.get(Lead, lead_id)
            if lead is None:
                raise FloorError(f"no lead {lead_id}")
            old, lead.owner_agent = lead.owner_agent or "", agent_id or None
            record_action(
                session, at=self._clock.now(), supervisor=supervisor, action="lead.reassign",
                outcome=AuditOutcome.DONE, agent_id=agent_id, old_value=old, new_value=agent_id,
                detail=f"lead {lead_id}",
            )  # fmt: skip
        log.info("supervisor %s: lead %d from %r to %r", supervisor, lead_id, old, agent_id)

    def _audit(self, supervisor: str, action: str, outcome: AuditOutcome, **fields: str) -> None:
        with self._sessions.begin() as session:
            record_action(
                session, at=self._clock.now(), supervisor=supervisor, action=action,
                outcome=outcome, **fields,
            )  # fmt: skip


async def _left_call(changes: AsyncIterator[object], agent_id: str) -> None:
    async for event in changes:
        mine = isinstance(event, SeatChanged) and event.agent_id == agent_id
        if mine and isinstance(event, SeatChanged) and event.state is not SeatState.ON_CALL:
            return
