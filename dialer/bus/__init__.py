"""The event bus between parts: typed dataclass events, published and subscribed by type.

``EventBus`` is the port; ``MemoryBus`` serves one process and ``RedisBus`` crosses processes
and machines through a Redis stream, its events encoded by ``EventCodec`` for the types the
composition root names (``DIALER_EVENTS`` and other parts' types).
"""

from dialer.bus.catalog import DIALER_EVENTS, PORT_EVENTS
from dialer.bus.codec import EventCodec
from dialer.bus.errors import (
    BusError,
    BusUnavailable,
    EventCodecError,
    MalformedEvent,
    UnknownEventType,
)
from dialer.bus.events import BusResync
from dialer.bus.memory import MemoryBus
from dialer.bus.port import EventBus

__all__ = [
    "DIALER_EVENTS",
    "PORT_EVENTS",
    "BusError",
    "BusResync",
    "BusUnavailable",
    "EventBus",
    "EventCodec",
    "EventCodecError",
    "MalformedEvent",
    "MemoryBus",
    "UnknownEventType",
]
