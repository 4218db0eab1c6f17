"""The in-process event bus: one bounded queue per subscription (``Fanout``), filtered by type.

``filtered`` is shared with the Redis bus: a ``BusResync`` passes every type filter, since a
subscriber that missed events must hear of it whatever it subscribed to.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from dialer.bus.events import BusResync
from dialer.telephony.fanout import Fanout

__all__ = ["MemoryBus", "filtered"]


class MemoryBus:
    """``EventBus`` for one process; ``maxsize`` bounds each subscriber's queue."""

    def __init__(self, *, maxsize: int = 10_000) -> None:
        self._fanout: Fanout[object] = Fanout(maxsize=maxsize)

    async def publish(self, event: object) -> None:
        self._fanout.publish(event)

    def subscribe(self, *types: type) -> AsyncIterator[object]:
        # Subscribe now, so events published before the first ``anext`` are not missed.
        subscription = self._fanout.subscribe()
        return filtered(subscription, types) if types else subscription

    async def close(self) -> None:
        self._fanout.close_all()


async def filtered(source: AsyncIterator[object], types: tuple[type, ...]) -> AsyncIterator[object]:
    """The events of ``source`` that are instances of ``types``, and every ``BusResync``."""
    wanted = (*types, BusResync)
    async for event in source:
        if isinstance(event, wanted):
            yield event
