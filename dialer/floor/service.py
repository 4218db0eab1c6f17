"""The floor service: follows the bus, keeps ``FloorState``, reloads it from the database only
at start, after a ``BusResync`` and after its own subscription overflowed (never on a timer).

Today's counts restart when the business day changes in the configured time zone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from dialer.bus.events import BusResync
from dialer.bus.port import EventBus
from dialer.errors import EventQueueOverflow
from dialer.floor.events import CallPlaced, IvrCallEnded, IvrCallStarted
from dialer.floor.snapshot import load_floor
from dialer.floor.state import FloorState
from dialer.seats.events import SeatChanged
from dialer.telephony.events import (
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallBusy,
    CallFailed,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallNoAnswer,
    CallRinging,
    CallTransferred,
    ConsultChanged,
    LinkStatusChanged,
    SpyStarted,
    SpyStopped,
)
from renewals.clock import Clock

__all__ = ["FLOOR_EVENTS", "FloorService"]

log = logging.getLogger(__name__)

FLOOR_EVENTS: tuple[type, ...] = (
    SeatChanged, CallPlaced, CallRinging, CallAnswered, CallBridged, CallAbandoned, CallBusy,
    CallNoAnswer, CallFailed, CallHungUp, SpyStarted, SpyStopped, LinkStatusChanged,
    IvrCallStarted, IvrCallEnded, CallHoldChanged, CallMuteChanged, ConsultChanged,
    CallTransferred,
)  # fmt: skip


class FloorService:
    """One per web process; ``run`` it as a task, read ``state`` from request handlers."""

    def __init__(
        self,
        *,
        bus: EventBus,
        sessions: sessionmaker[Session],
        clock: Clock,
        timezone: str,
    ) -> None:
        self._bus, self._sessions, self._clock = bus, sessions, clock
        self._zone = ZoneInfo(timezone)
        self._state = FloorState()
        self._day: date | None = None
        self.reloads = 0  # how many times the floor was read from the database
        self.version = 0  # bumped on every change the floor took in
        self._bumped = asyncio.Event()

    @property
    def state(self) -> FloorState:
        self._roll_day()
        return self._state

    def reload(self) -> None:
        now = self._clock.now()
        self._day = now.astimezone(self._zone).date()
        day_start = datetime.combine(self._day, time(0), self._zone)
        with self._sessions() as session:
            link, outage, ivr = self._state.link, self._state.outage, self._state.ivr
            self._state = load_floor(session, now=now, day_start=day_start)
            # The database does not know the link, nor the IVR sessions still going on (it
            # stores one when it ends); the bus told us.
            self._state.link, self._state.outage, self._state.ivr = link, outage, ivr
        self.reloads += 1
        self._bump()

    def _bump(self) -> None:
        self.version += 1
        bumped, self._bumped = self._bumped, asyncio.Event()
        bumped.set()

    async def changed(self, after: int, *, timeout_s: float) -> int:
        """Wait until the floor is past ``after`` (or ``timeout_s`` passed); the version now.

        What supervisors' sockets wait on: they are woken by the bus's events, not a timer.
        """
        if self.version == after:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout_s):
                    await self._bumped.wait()
        return self.version

    async def run(self) -> None:
        """Follow the bus until it closes or the task is cancelled."""
        while True:
            # Subscribe before reading the database: an event in between is applied twice at
            # worst, which the state absorbs, instead of being lost.
            events = self._bus.subscribe(*FLOOR_EVENTS)
            self.reload()
            try:
                async for event in events:
                    if isinstance(event, BusResync):
                        log.info("floor: re-reading the database (%s)", event.reason)
                        self.reload()
                        continue
                    self._roll_day()
                    self._state.apply(event)
                    self._bump()
                return
            except EventQueueOverflow:
                log.warning("floor: fell behind the bus; re-reading the database")

    def _roll_day(self) -> None:
        today = self._clock.now().astimezone(self._zone).date()
        if self._day is not None and today != self._day:
            self._day = today
            self._state.new_day()
