"""The event bus port: publish typed events, subscribe to the types a part cares about."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

__all__ = ["EventBus"]


@runtime_checkable
class EventBus(Protocol):
    """Publish never blocks on a slow subscriber; each subscription sees events in order.

    A subscription whose queue overflows ends with ``dialer.errors.EventQueueOverflow`` (the
    subscriber re-syncs its state and subscribes again), never by dropping single events.
    A subscription may also yield ``dialer.bus.BusResync`` whatever types it asked for: events
    may have been missed (a broker link dropped); re-read the state and carry on.
    """

    async def publish(self, event: object) -> None:
        """Deliver ``event`` (a frozen dataclass instance) to every matching subscription."""

    def subscribe(self, *types: type) -> AsyncIterator[object]:
        """Events of these types (all events when none are named) from now on, in order."""
        ...

    async def close(self) -> None:
        """End every subscription; idempotent."""
