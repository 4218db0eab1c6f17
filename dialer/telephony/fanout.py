"""Bounded per-consumer event queues that never block the publisher (every backend uses it).

Overflow policy: when a subscriber's queue is full, that subscription is closed and its
iterator raises ``EventQueueOverflow`` once the events it already holds are consumed.
Dropping single events silently would lose a call's outcome; blocking would stall the AMI
reader and, with it, every other consumer and every pending action.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from typing import Generic, TypeVar

from dialer.errors import EventQueueOverflow

__all__ = ["Fanout", "Subscription"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class Subscription(Generic[T]):
    """One consumer's queue; iterate it with ``async for``."""

    def __init__(self, *, maxsize: int, owner: Fanout[T]) -> None:
        self._items: deque[T] = deque()
        self._maxsize = maxsize
        self._owner = owner
        self._wakeup = asyncio.Event()
        self._closed = False
        self._overflowed = False

    def _offer(self, item: T) -> None:
        if self._closed:
            return
        if len(self._items) >= self._maxsize:
            log.error("event subscriber overflowed after %d events; closing it", self._maxsize)
            self._overflowed = True
            self.close()
            return
        self._items.append(item)
        self._wakeup.set()

    def close(self) -> None:
        self._closed = True
        self._owner.discard(self)
        self._wakeup.set()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        while not self._items:
            if self._overflowed:
                raise EventQueueOverflow("event queue overflowed; re-sync with live_calls()")
            if self._closed:
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()
        return self._items.popleft()

    async def aclose(self) -> None:
        self.close()


class Fanout(Generic[T]):
    """Publishes each item to every open subscription, in order."""

    def __init__(self, *, maxsize: int = 10_000) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be >= 1")
        self._maxsize = maxsize
        self._subs: list[Subscription[T]] = []
        self._closed = False

    @property
    def subscribers(self) -> int:
        return len(self._subs)

    def subscribe(self) -> Subscription[T]:
        """Subscribe now (not at the first ``anext``): every later item is delivered."""
        sub = Subscription(maxsize=self._maxsize, owner=self)
        if self._closed:
            sub.close()  # a stream of a closed source ends at once
        else:
            self._subs.append(sub)
        return sub

    def discard(self, sub: Subscription[T]) -> None:
        if sub in self._subs:
            self._subs.remove(sub)

    def publish(self, item: T) -> None:
        for sub in list(self._subs):
            sub._offer(item)

    def close_all(self) -> None:
        """End every subscription after the items it already holds; idempotent."""
        self._closed = True
        for sub in list(self._subs):
            sub.close()
