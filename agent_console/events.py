"""From the event bus to the agents' screens: the screen-pop when a call is bridged to them.

Every console process subscribes; each sends only to the sockets it holds, so with several
processes (Redis bus) the pop reaches the agent whichever process their browser is on.

The event loop only routes: reading the quote panel (database queries, the quote computation)
runs in worker threads (``PopCards``), started as soon as a person answers (``CallAnswered``:
on Asterisk the agent's phone still has to ring and pick up), so at the connect the card is
often built already and the pop is only sent.
Messages still leave in the order of the bus's events (a ``call_ended`` never overtakes its
call's pop).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from agent_console.cards import PopCards
from agent_console.hub import AgentHub
from agent_console.leads import attempt_of_call, lead_card
from agent_console.seat import SeatService, seat_message
from dialer.bus import BusResync, EventBus
from dialer.errors import EventQueueOverflow
from dialer.seats.events import SeatChanged
from dialer.telephony.events import (
    AnswerKind,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    ConsultChanged,
    RecordingPauseChanged,
)
from renewals.clock import Clock
from renewals.models import Lead
from renewals.quoting import QuoteRules

__all__ = ["PopService", "consume"]

log = logging.getLogger(__name__)

CONSOLE_EVENTS: tuple[type, ...] = (
    CallAnswered,
    CallBridged,
    CallAbandoned,
    CallHungUp,
    SeatChanged,
    BusResync,
    CallHoldChanged,
    CallMuteChanged,
    RecordingPauseChanged,
    ConsultChanged,
)
DELIVERY_BACKLOG = 1000  # events waiting for their messages to be built (then: resync all)

Delivery = Callable[[], None]


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
        gifts: Callable[[str], str] = lambda _language: "",
    ) -> None:
        self._sessions, self._clock, self._hub = sessions, clock, hub
        self._seats, self._quoting, self._timezone = seats, quoting, timezone
        self._gifts = gifts  # the gifts on offer in a language (the call script's)
        self.cards = PopCards(build=self.pop_message)

    def pop_message(self, call_id: str, language: str) -> dict[str, object] | None:
        """The ``pop`` message of a call (None if the call has no attempt row). Blocking I/O:
        call it from a worker thread (``PopCards``, ``state_messages_async``)."""
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
                gifts=self._gifts(language),
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

    async def state_messages_async(self, agent_id: str, language: str) -> list[dict[str, object]]:
        """``state_messages`` read in a worker thread: the loop keeps serving the others."""
        return await asyncio.to_thread(self.state_messages, agent_id, language)

    def answered(self, call_id: str) -> None:
        """A person answered: read the card now, in case this process's agent gets the call.

        Not at ``CallRinging``: most lines that ring are never answered, and a card costs tens
        of milliseconds of CPU (13 queries, the quote); five times as many builds slowed every
        pop on a loaded machine (``bench/screen_pop_results.md``)."""
        languages = self._hub.all_languages()
        if languages:  # no socket here: nobody of ours can be popped
            self.cards.prepare(call_id, languages)

    async def bridged(self, agent_id: str, call_id: str, at: datetime) -> Delivery:
        """Build the pop (or take the one prepared at the answer); returns its sending."""
        if not self._hub.has(agent_id):
            self.cards.forget(call_id)
            return _nothing
        languages = self._hub.languages(agent_id)
        pops = {lang: await self.cards.take(call_id, lang) for lang in languages}

        def send() -> None:
            self._hub.calls[call_id] = agent_id
            for language, pop in pops.items():
                if pop is not None:
                    self._hub.send(agent_id, {**pop, "bridged_at": at.isoformat()}, language)
            log.info("screen-pop of %s sent to %s", call_id, agent_id)

        return send

    def hung_up(self, call_id: str) -> None:
        self.cards.forget(call_id)
        agent_id = self._hub.calls.pop(call_id, None)
        if agent_id is not None:
            self._hub.send(agent_id, {"type": "call_ended", "call_id": call_id})

    def control_changed(self, call_id: str, change: dict[str, object]) -> None:
        """A control changed by anyone (this page, another process, Asterisk itself: a
        consultation the target never answered, a recording resumed at its limit): the agent
        on the call sees it at once."""
        agent_id = self._hub.calls.get(call_id)
        if agent_id is not None:
            self._hub.send(agent_id, {"type": "call_control", "call_id": call_id, **change})

    async def seat_changed(self, agent_id: str) -> Delivery:
        """A seat change made anywhere (runtime, another process): the agent's screens follow."""
        if not self._hub.has(agent_id):
            return _nothing
        view = await asyncio.to_thread(self._seats.view, agent_id)
        return lambda: self._hub.send(agent_id, seat_message(view))

    def resync_all(self) -> None:
        for agent_id in self._hub.agents():
            self._hub.send(agent_id, {"type": "resync"})


def _nothing() -> None:
    return None


async def consume(bus: EventBus, pops: PopService) -> None:
    """Apply the bus's events until the bus closes or the task is cancelled.

    Each event's messages are built concurrently (worker threads) and sent in the events'
    order by one delivering task; a failing event is logged, never fatal. A subscription that
    overflowed is opened again after every screen is told to resync.
    """
    waiting: asyncio.Queue[asyncio.Task[Delivery] | None] = asyncio.Queue(DELIVERY_BACKLOG)
    async with asyncio.TaskGroup() as group:
        group.create_task(_deliver(waiting), name="console-pop-delivery")
        while True:
            try:
                async for event in bus.subscribe(*CONSOLE_EVENTS):
                    step = _prepare(pops, event)
                    if step is not None:
                        await waiting.put(group.create_task(_guarded(step), name="console-pop"))
                break
            except EventQueueOverflow:
                log.error("console fell behind the bus; every screen resyncs")
                pops.resync_all()
        await waiting.put(None)  # the bus closed: deliver what is built, then end


async def _deliver(waiting: asyncio.Queue[asyncio.Task[Delivery] | None]) -> None:
    while (step := await waiting.get()) is not None:
        send = await step
        try:
            send()
        except Exception:  # one bad event must not stop every agent's pops
            log.exception("console: sending an event's messages failed")


async def _guarded(step: Awaitable[Delivery]) -> Delivery:
    try:
        return await step
    except Exception:
        log.exception("console: building an event's messages failed")
        return _nothing


def _prepare(pops: PopService, event: object) -> Awaitable[Delivery] | None:
    """The work one event asks for, as a coroutine returning the sending (None: nothing)."""
    if isinstance(event, CallAnswered):
        if event.kind is not AnswerKind.MACHINE:  # a machine is hung up, never bridged
            pops.answered(event.call_id)
        return None
    if isinstance(event, CallBridged):
        return pops.bridged(event.agent_id, event.call_id, event.at)
    if isinstance(event, CallHungUp | CallAbandoned):  # abandoned: never popped, card dropped
        return _now(lambda: pops.hung_up(event.call_id))
    if isinstance(event, SeatChanged):
        return pops.seat_changed(event.agent_id)
    change = _control_change(event)
    if change is not None:
        call_id = getattr(event, "call_id", "")
        return _now(lambda: pops.control_changed(call_id, change))
    if isinstance(event, BusResync):
        return _now(pops.resync_all)
    return None


def _control_change(event: object) -> dict[str, object] | None:
    """The field of the agent's control state an event sets (``ControlState.view``'s names)."""
    if isinstance(event, CallHoldChanged):
        return {"held": event.held}
    if isinstance(event, CallMuteChanged):
        return {"muted": event.muted}
    if isinstance(event, RecordingPauseChanged):
        return {"recording_paused": event.paused}
    if isinstance(event, ConsultChanged):
        return {"consult": event.target if event.active else None}
    return None


async def _now(action: Delivery) -> Delivery:
    return action
