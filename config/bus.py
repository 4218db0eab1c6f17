"""The event bus of this node: built from the settings, and fed by the runtime process.

``build_bus`` picks the in-memory bus or Redis (``XUBAO_BUS_URL``). ``BusRelay`` is how the
runtime process publishes: the seat desk's changes (posted from synchronous code) and the
telephony port's events go through one ordered queue, and a publish that fails (Redis down)
is retried with back-off instead of dropped, so a screen-pop comes late rather than never.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

from config.settings import Settings
from dialer.bus import DIALER_EVENTS, BusError, BusResync, EventBus, EventCodec, MemoryBus
from dialer.errors import EventQueueOverflow
from dialer.telephony.events import PortEvent
from renewals.clock import Clock

__all__ = ["BUS_EVENTS", "BusRelay", "PortBridge", "build_bus"]

log = logging.getLogger(__name__)

BUS_EVENTS: tuple[type, ...] = DIALER_EVENTS
"""Every event type that may cross processes; other parts add theirs here by name."""


def build_bus(settings: Settings, clock: Clock, *, client_name: str = "xubao-bus") -> EventBus:
    """The bus the settings name; ``client_name`` labels the Redis connections (CLIENT LIST)."""
    if not settings.bus_url:
        return MemoryBus()
    # redis-py is imported only when a Redis bus is asked for (a quarter-second start-up).
    from dialer.bus.redis_bus import RedisBus, RedisBusOptions

    scheme = urlsplit(settings.bus_url).scheme
    if scheme not in ("redis", "rediss", "unix"):
        raise ValueError(
            f"XUBAO_BUS_URL: {scheme or 'no'} scheme; expected redis://, rediss:// or unix://"
        )
    return RedisBus(
        url=settings.bus_url,
        stream=settings.bus_stream,
        codec=EventCodec(BUS_EVENTS),
        clock=clock,
        options=RedisBusOptions(maxlen=settings.bus_maxlen, client_name=client_name),
    )


class BusRelay:
    """Publishes what it is given, in the order given, retrying while the bus is unreachable.

    ``maxsize`` bounds what waits (events); past it the oldest waiting event is dropped and a
    ``BusResync`` goes out before the next one, so subscribers know to re-read their state.
    """

    def __init__(
        self,
        *,
        bus: EventBus,
        clock: Clock,
        maxsize: int = 10_000,
        retry_s: tuple[float, float] = (0.05, 5.0),
    ) -> None:
        self._bus, self._clock, self._maxsize, self._retry_s = bus, clock, maxsize, retry_s
        self._waiting: deque[object] = deque()
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._dropped = 0

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def post(self, event: object) -> None:
        """Queue ``event`` for publishing; never blocks (the seat desk calls it synchronously)."""
        if len(self._waiting) >= self._maxsize:
            self._waiting.popleft()
            self._dropped += 1
        self._waiting.append(event)
        self._idle.clear()
        self._wakeup.set()

    async def drained(self) -> None:
        """Return once everything posted so far is published (at shutdown)."""
        await self._idle.wait()

    async def run(self) -> None:
        """Publish until cancelled."""
        while True:
            while not self._waiting:
                self._idle.set()
                self._wakeup.clear()
                await self._wakeup.wait()
            if self._dropped:
                reason = f"the relay dropped {self._dropped} event(s) while the bus was down"
                self._waiting.appendleft(BusResync(at=self._clock.now(), reason=reason))
                self._dropped = 0
            await self._publish_first()

    async def _publish_first(self) -> None:
        delay, cap = self._retry_s
        while True:
            event = self._waiting[0]
            try:
                await self._bus.publish(event)
            except BusError as exc:
                log.warning("bus publish failed (%s); retrying in %.2f s", exc, delay)
                await self._clock.sleep(delay)
                delay = min(cap, delay * 2)
                if not self._waiting:
                    return
                continue
            if self._waiting and self._waiting[0] is event:
                self._waiting.popleft()
            return


class PortBridge:
    """Posts every event of the telephony port to a relay, from construction on.

    The port's subscription is opened in the constructor, so no event slips by between the
    wiring and the first ``run`` step. A subscription that overflowed is re-opened after a
    ``BusResync``: the events it lost are gone for every subscriber of the bus.
    """

    def __init__(
        self,
        *,
        port_events: Callable[[], AsyncIterator[PortEvent]],
        relay: BusRelay,
        clock: Clock,
    ) -> None:
        self._open, self._relay, self._clock = port_events, relay, clock
        self._events = port_events()

    async def run(self) -> None:
        """Relay until the port closes or the task is cancelled."""
        while True:
            try:
                async for event in self._events:
                    self._relay.post(event)
                return
            except EventQueueOverflow:
                log.error("port events overflowed the bus bridge; subscribers will re-sync")
                reason = "the bus bridge fell behind the telephony port"
                self._relay.post(BusResync(at=self._clock.now(), reason=reason))
                self._events = self._open()
