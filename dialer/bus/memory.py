"""The in-process event bus: one bounded queue per subscription (``Fanout``), filtered by type."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dialer.telephony.fanout import Fanout

__all__ = ["MemoryBus"]


class MemoryBus:
    """``EventBus`` for one process; ``maxsize`` bounds each subscriber's queue."""

    def __init__(self, *, maxsize: int = 10_000) -> None:
        self._fanout: Fanout[object] = Fanout(maxsize=maxsize)

    async def publish(self, event: object) -> None:
        self._fanout.publish(event)

    def subscribe(self, *types: type) -> AsyncIterator[object]:
        # Subscribe now, so events published before the first ``anext`` are not missed.
        subscription = self._fanout.subscribe()
        return _filtered(subscription, types) if types else subscription

    async def close(self) -> None:
        self._fanout.close_all()


async def _filtered(
    source: AsyncIterator[object], types: tuple[type, ...]
) -> AsyncIterator[object]:
    async for event in source:
        if isinstance(event, types):
            yield event
