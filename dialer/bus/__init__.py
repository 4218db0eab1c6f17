"""The event bus between parts: typed dataclass events, published and subscribed by type.

``EventBus`` is the port; ``MemoryBus`` serves one process. A broker-backed bus (Redis) has the
same interface so the runtime and several web processes can share one stream of events.
"""

from dialer.bus.memory import MemoryBus
from dialer.bus.port import EventBus

__all__ = ["EventBus", "MemoryBus"]
