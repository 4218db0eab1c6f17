"""From the event bus to the agents' screens: the screen-pop when a call is bridged to them.

Every console process subscribes; each sends only to the sockets it holds, so with several
processes (Redis bus) the pop reaches the agent whichever process their browser is on.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from agent_console.hub import AgentHub
from agent_console.leads import attempt_of_call, lead_card
from agent_console.seat import SeatService, seat_message
from dialer.bus import BusResync, EventBus
from dialer.errors import EventQueueOverflow
from dialer.seats.events import SeatChanged
from dialer.telephony.events import CallBridged, CallHungUp
from renewals.clock import Clock
from renewals.models import Lead
from renewals.quoting import QuoteRules

__all__ = ["PopService", "consume"]

log = logging.getLogger(__name__)


class PopService:
    """Builds screen-pops and full screen states for the hub's sockets."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Clock,
        hub: AgentHub,
        seats: SeatService,
        quoting: QuoteRules,
        timezone: str,
    ) -> None:
        self._sessions, self._clock, self._hub = sessions, clock, hub
        self._seats, self._quoting, self._timezone = seats, quoting, timezone

    def pop_message(self, call_id: str, language: str) -> dict[str, object] | None:
        """The ``pop`` message of a call (None if the call has no attempt row)."""
        with self._sessions() as session:
            attempt = attempt_of_call(session, call_id)
            if attempt is None:
                return None
            lead = session.get(Lead, attempt.lead_id)
            assert lead is not None
            card = lead_card(
                session,
                lead,
                at=self._clock.now(),
                timezone=self._timezone,
                quoting=self._quoting,
                language=language,
            )
            return {"type": "pop", "call_id": call_id, "attempt_id": attempt.id, "card": card}

    def state_messages(self, agent_id: str, language: str) -> list[dict[str, object]]:
        """What redraws the agent's screen: the seat, then the pop of its current call."""
        messages = [seat_message(self._seats.view(agent_id))]
        call_id = self._seats.current_call(agent_id)
        if call_id:
            pop = self.pop_message(call_id, language)
            if pop is not None:
                messages.append(pop)
        return messages

    def bridged(self, agent_id: str, call_id: str, at: datetime) -> None:
        if not self._hub.has(agent_id):
            return
        self._hub.calls[call_id] = agent_id
        for language in self._hub.languages(agent_id):
            pop = self.pop_message(call_id, language)
            if pop is not None:
                pop["bridged_at"] = at.isoformat()
                self._hub.send(agent_id, pop, language)
        log.info("screen-pop of %s sent to %s", call_id, agent_id)

    def hung_up(self, call_id: str) -> None:
        agent_id = self._hub.calls.pop(call_id, None)
        if agent_id is not None:
            self._hub.send(agent_id, {"type": "call_ended", "call_id": call_id})

    def seat_changed(self, agent_id: str) -> None:
        """A seat change made anywhere (runtime, another process): the agent's screens follow."""
        if self._hub.has(agent_id):
            self._hub.send(agent_id, seat_message(self._seats.view(agent_id)))

    def resync_all(self) -> None:
        for agent_id in self._hub.agents():
            self._hub.send(agent_id, {"type": "resync"})


async def consume(bus: EventBus, pops: PopService) -> None:
    """Apply the bus's events until cancelled; a failing event is logged, never fatal.

    A subscription that overflowed is opened again after every screen is told to resync.
    """
    while True:
        try:
            async for event in bus.subscribe(CallBridged, CallHungUp, SeatChanged, BusResync):
                _apply(pops, event)
            return  # the bus closed
        except EventQueueOverflow:
            log.error("console fell behind the bus; every screen resyncs")
            pops.resync_all()


def _apply(pops: PopService, event: object) -> None:
    try:
        if isinstance(event, CallBridged):
            pops.bridged(event.agent_id, event.call_id, event.at)
        elif isinstance(event, CallHungUp):
            pops.hung_up(event.call_id)
        elif isinstance(event, SeatChanged):
            pops.seat_changed(event.agent_id)
        elif isinstance(event, BusResync):
            pops.resync_all()
    except Exception:  # one bad event must not stop every agent's pops
        log.exception("console: event %r failed", event)
