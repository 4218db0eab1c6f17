"""The event bus between parts: typed dataclass events, published and subscribed by type.

``EventBus`` is the port; ``MemoryBus`` serves one process and ``RedisBus`` crosses processes
and machines through a Redis stream, its events encoded by ``EventCodec`` for the types the
composition root names (``DIALER_EVENTS`` and other parts' types). ``RemotePort`` and
``PortCommandServer`` carry a console's seat and call actions to the runtime's telephony port.
"""

from dialer.bus.catalog import DIALER_EVENTS, PORT_EVENTS
from dialer.bus.codec import EventCodec
from dialer.bus.command_server import PortCommandServer
from dialer.bus.commands import PortAction, PortCommand, PortCommandDone
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
from dialer.bus.remote_port import RemotePort

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
    "PortAction",
    "PortCommand",
    "PortCommandDone",
    "PortCommandServer",
    "RemotePort",
    "UnknownEventType",
]
