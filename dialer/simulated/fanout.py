"""Fan-out of backend events: each ``subscribe()`` gets every later event through its own queue.

Each queue is bounded. A subscriber that falls ``maxsize`` events behind is cut off: it reads
what was queued, then ``SubscriberOverflow``. Dropping single call events silently would corrupt
call states downstream; blocking the network for one slow reader would stall every call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Final

from dialer.simulated.errors import SubscriberOverflow
from dialer.telephony.events import CallEvent, SeatStatusChanged

__all__ = ["EventFanout"]

logger = logging.getLogger(__name__)

Item = CallEvent | SeatStatusChanged
_END: Final = "end"
_OVERFLOW: Final = "overflow"


class EventFanout:
    """One bounded queue per subscriber; ``publish`` never blocks."""

    def __init__(self, *, maxsize: int = 10_000) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be >= 1")
        self._maxsize = maxsize
        self._queues: set[asyncio.Queue[Item | str]] = set()
        self._closed = False

    @property
    def subscribers(self) -> int:
        return len(self._queues)

    def subscribe(self) -> AsyncIterator[Item]:
        """Subscribe now (not at the first ``anext``) and return the events from here on."""
        queue: asyncio.Queue[Item | str] = asyncio.Queue()  # bound enforced in publish
        if self._closed:
            queue.put_nowait(_END)
        else:
            self._queues.add(queue)
        return self._drain(queue)

    async def _drain(self, queue: asyncio.Queue[Item | str]) -> AsyncIterator[Item]:
        try:
            while True:
                item = await queue.get()
                if item == _END:
                    return
                if item == _OVERFLOW:
                    raise SubscriberOverflow(f"subscriber fell {self._maxsize} events behind")
                assert not isinstance(item, str)
                yield item
        finally:
            self._queues.discard(queue)

    def publish(self, item: Item) -> None:
        for queue in list(self._queues):
            if queue.qsize() >= self._maxsize:
                logger.warning("event subscriber fell %d events behind; cut off", self._maxsize)
                self._queues.discard(queue)
                queue.put_nowait(_OVERFLOW)
            else:
                queue.put_nowait(item)

    def close(self) -> None:
        """End every subscription after the events already queued; idempotent."""
        self._closed = True
        for queue in self._queues:
            queue.put_nowait(_END)
        self._queues.clear()
