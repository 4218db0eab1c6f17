"""The seat desk: agents' state changes, stored and mirrored to the telephony backend.

A seat that is not READY is paused in the backend's queue, so the queue only ever offers a
call to an agent the dialer counts as ready. Each change is one transaction (seat row plus
its history event) followed by the backend call. ``on_change`` hears of every change once it
is stored (the composition root publishes it on the event bus for the consoles).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialer.models import Seat, SeatState
from dialer.seats.events import SeatChanged
from dialer.seats.service import change_seat
from dialer.telephony.port import TelephonyPort
from renewals.clock import Clock

__all__ = ["SeatDesk", "SeatView"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SeatView:
    agent_id: str
    state: SeatState
    since: datetime
    call_id: str | None


class SeatDesk:
    """Seat changes of one campaign (its queue) in one process."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        port: TelephonyPort,
        clock: Clock,
        campaign_id: str,
        queue: str,
        on_wrap_ended: Callable[[float], None] = lambda _s: None,
        on_change: Callable[[SeatChanged], None] = lambda _e: None,
    ) -> None:
        self._sessions, self._port, self._clock = sessions, port, clock
        self._campaign_id, self._queue = campaign_id, queue
        self._on_wrap_ended = on_wrap_ended
        self._on_change = on_change

    def _change(
        self, agent_id: str, to: SeatState, *, reason: str = "", call_id: str | None = None
    ) -> tuple[SeatState, datetime]:
        now = self._clock.now()
        with self._sessions.begin() as session:
            seat = session.get(Seat, agent_id)
            before = (seat.state, seat.since) if seat else (SeatState.LOGGED_OUT, now)
            change_seat(
                session,
                agent_id,
                to,
                at=now,
                campaign_id=self._campaign_id,
                reason=reason,
                call_id=call_id,
            )
        if before[0] is SeatState.WRAP_UP and to is not SeatState.WRAP_UP:
            self._on_wrap_ended((now - before[1]).total_seconds())
        if before[0] is not to or to is SeatState.PAUSED:  # change_seat's no-op is no change
            change = SeatChanged(agent_id=agent_id, campaign_id=self._campaign_id, state=to, at=now)
            self._on_change(replace(change, reason=reason, call_id=call_id or ""))
        return before

    async def login(self, agent_id: str, *, name: str = "") -> None:
        """Log the agent in as READY and make the phone a member of the campaign queue."""
        self._change(agent_id, SeatState.READY)
        await self._port.add_seat(agent_id, queue=self._queue, name=name)

    async def ready(self, agent_id: str) -> None:
        """The agent is ready for the next call (after wrap-up or a pause)."""
        self._change(agent_id, SeatState.READY)
        await self._port.pause_seat(agent_id, queue=self._queue, paused=False)

    async def pause(self, agent_id: str, *, reason: str) -> None:
        self._change(agent_id, SeatState.PAUSED, reason=reason)
        await self._port.pause_seat(agent_id, queue=self._queue, paused=True, reason=reason)

    async def logout(self, agent_id: str) -> None:
        self._change(agent_id, SeatState.LOGGED_OUT)
        await self._port.remove_seat(agent_id, queue=self._queue)

    def reserve(self, agent_id: str, call_id: str) -> None:
        """Preview dialing: the seat waits for the call the agent asked for."""
        self._change(agent_id, SeatState.RESERVED, call_id=call_id)

    def bridged(self, agent_id: str, call_id: str) -> None:
        self._change(agent_id, SeatState.ON_CALL, call_id=call_id)

    async def call_ended(self, agent_id: str, call_id: str) -> None:
        """The agent's call ended: wrap-up, paused in the queue until the agent is ready."""
        self._change(agent_id, SeatState.WRAP_UP, call_id=call_id)
        await self._port.pause_seat(agent_id, queue=self._queue, paused=True, reason="wrap_up")

    def agent_holding(self, call_id: str) -> str:
        """The agent whose seat is on (or reserved for) this call, or ""."""
        with self._sessions() as session:
            agent = session.scalar(
                select(Seat.agent_id).where(
                    Seat.call_id == call_id,
                    Seat.state.in_((SeatState.ON_CALL, SeatState.RESERVED)),
                )
            )
        return agent or ""

    def call_lost(self, call_id: str) -> None:
        """A call that ended unseen (the runtime was down): free the seat that still holds it."""
        with self._sessions() as session:
            seat = session.scalars(select(Seat).where(Seat.call_id == call_id)).first()
            held = (seat.agent_id, seat.state) if seat is not None else None
        # Only the stored state changes: after a restart the backend may not know the seat
        # yet; the agent's next login or "ready" puts it back in the queue.
        if held is not None and held[1] in (SeatState.ON_CALL, SeatState.RESERVED):
            to = SeatState.WRAP_UP if held[1] is SeatState.ON_CALL else SeatState.READY
            self._change(held[0], to, call_id=call_id)

    def seats(self) -> list[SeatView]:
        with self._sessions() as session:
            rows = session.scalars(
                select(Seat).where(
                    Seat.campaign_id == self._campaign_id, Seat.state != SeatState.LOGGED_OUT
                )
            ).all()
            return [SeatView(s.agent_id, s.state, s.since, s.call_id) for s in rows]
