"""The seat desk: agents' state changes, stored and mirrored to the telephony backend.

A seat that is not READY is paused in the backend's queue, so the queue only ever offers a
call to an agent the dialer counts as ready. Each change is one transaction (seat row plus
its history event) followed by the backend call. ``on_change`` hears of every change once it
is stored (the composition root publishes it on the event bus for the consoles).

Seats carry a heartbeat (``heard``): an agent's console, or a bot, renews it every few seconds.
A seat not heard from within ``lapse_s`` is not counted (``seats`` leaves it out) and is logged
out and removed from the queue (``expire_lapsed``), so a runtime never dials for agents who
are not there: after Ctrl-C, a killed process or a closed browser.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialer.errors import ActionFailed, DialerError
from dialer.models import Seat, SeatState
from dialer.seats.events import SeatChanged
from dialer.seats.service import change_seat, renew_heard
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
    pause_reason: str = ""


# A seat holding a call cannot be logged out; it lapses once the call ended (wrap-up).
_HOLDING = (SeatState.ON_CALL, SeatState.RESERVED)


class SeatDesk:
    """Seat changes of one campaign (its queue) in one process; ``lapse_s`` in seconds."""

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
        lapse_s: float = 6.0,
    ) -> None:
        if not lapse_s > 0:
            raise ValueError("lapse_s must be > 0")
        self._sessions, self._port, self._clock = sessions, port, clock
        self._campaign_id, self._queue = campaign_id, queue
        self._on_wrap_ended = on_wrap_ended
        self._on_change = on_change
        self.lapse_s = lapse_s

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
        self.heard(agent_id)
        await self._port.add_seat(agent_id, queue=self._queue, name=name)

    def heard(self, *agent_ids: str) -> list[str]:
        """Renew the heartbeat of these logged-in agents; returns those logged out (re-login)."""
        with self._sessions.begin() as session:
            renewed = renew_heard(session, agent_ids, at=self._clock.now())
        return sorted(set(agent_ids) - set(renewed))

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

    def _logged_in(self) -> list[Seat]:
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(Seat).where(
                        Seat.campaign_id == self._campaign_id, Seat.state != SeatState.LOGGED_OUT
                    )
                )
            )

    def _alive(self, seat: Seat, now: datetime) -> bool:
        return seat.heard_at is not None and seat.heard_at > now - timedelta(seconds=self.lapse_s)

    def seats(self) -> list[SeatView]:
        """The live seats: logged in and heard from within ``lapse_s``."""
        now = self._clock.now()
        return [
            SeatView(s.agent_id, s.state, s.since, s.call_id, s.pause_reason)
            for s in self._logged_in()
            if self._alive(s, now)
        ]

    async def rejoin(self) -> int:
        """Re-add every live seat to the backend's queue with its pause state; returns how many.

        After the backend restarted or the link came back, its queue may have no members while
        the seats are ready here (issue 9, item 2). A seat the backend still has ("already
        there") is only re-paused. Stops at the first seat the backend cannot take (the link
        dropped again: the next "up" re-joins them all).
        """
        seats = self.seats()
        for seat in seats:
            try:
                await self._port.add_seat(seat.agent_id, queue=self._queue)
            except ActionFailed as exc:
                log.info("seat %s: %s", seat.agent_id, exc)
            paused = seat.state is not SeatState.READY
            reason = seat.pause_reason or seat.state.value if paused else ""
            await self._port.pause_seat(
                seat.agent_id, queue=self._queue, paused=paused, reason=reason
            )
        log.info("queue %s: %d live seats re-joined", self._queue, len(seats))
        return len(seats)

    async def expire_lapsed(self) -> list[str]:
        """Log out the seats not heard from within ``lapse_s`` (and take them out of the queue).

        Returns their agent ids. A seat holding a call is left until the call ends. A backend
        that cannot be reached is logged: the stored state is what the dialer counts, and
        the queue is re-built from it when the link comes back.
        """
        now = self._clock.now()
        return await self._expire([s for s in self._logged_in() if not self._alive(s, now)])

    async def roll_call(self) -> list[SeatView]:
        """``expire_lapsed`` then ``seats``, on one read (the runtime does this every tick)."""
        now = self._clock.now()
        seats = self._logged_in()
        await self._expire([s for s in seats if not self._alive(s, now)])
        return [
            SeatView(s.agent_id, s.state, s.since, s.call_id, s.pause_reason)
            for s in seats
            if self._alive(s, now)
        ]

    async def _expire(self, lapsed: list[Seat]) -> list[str]:
        gone = [s.agent_id for s in lapsed if s.state not in _HOLDING]
        for agent_id in gone:
            log.warning("seat %s: not heard from in %.0f s; logging it out", agent_id, self.lapse_s)
            self._change(agent_id, SeatState.LOGGED_OUT, reason="lapsed")
            try:
                await self._port.remove_seat(agent_id, queue=self._queue)
            except DialerError as exc:
                log.warning("seat %s: could not leave queue %s: %s", agent_id, self._queue, exc)
        return gone
