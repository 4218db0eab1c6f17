"""Virtual time for asyncio: the simulated network (and anything else) runs faster than real time.

``VirtualTimeLoop`` is a selector event loop whose ``time()`` is a counter. When the loop has
nothing ready to run and would block in ``select`` until its next timer, the selector polls the
real sockets once (timeout 0) and, if none is ready, moves the counter forward by that timeout
instead of sleeping. Every ``asyncio.sleep``, ``call_later`` and ``wait_for`` timeout therefore
fires in order and at once. With nothing scheduled at all it blocks in the real ``select``, so
thread and subprocess wake-ups still arrive.

Caveat: a timer jumps ahead while real I/O is still in flight (a TCP peer that has not answered
yet), so use this loop only for in-process simulations, never against a real network.

``VirtualClock`` is the ``renewals.clock.Clock`` of that loop (wall time = ``start`` + loop time).
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import FileDescriptorLike

__all__ = ["VirtualClock", "VirtualTimeLoop", "run_virtual"]

T = TypeVar("T")


class _VirtualSelector(selectors.BaseSelector):
    """Wraps a real selector; turns a would-block ``select(timeout)`` into a jump of time."""

    def __init__(self, inner: selectors.BaseSelector) -> None:
        self._inner = inner
        self.now = 0.0

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None:
            return self._inner.select(None)  # nothing scheduled: only real I/O can wake us
        ready = self._inner.select(0)
        if not ready and timeout > 0:
            self.now += timeout
        return ready

    def register(
        self, fileobj: FileDescriptorLike, events: int, data: Any = None
    ) -> selectors.SelectorKey:
        return self._inner.register(fileobj, events, data)

    def unregister(self, fileobj: FileDescriptorLike) -> selectors.SelectorKey:
        return self._inner.unregister(fileobj)

    def modify(
        self, fileobj: FileDescriptorLike, events: int, data: Any = None
    ) -> selectors.SelectorKey:
        return self._inner.modify(fileobj, events, data)

    def get_map(self) -> Mapping[FileDescriptorLike, selectors.SelectorKey]:
        return self._inner.get_map()

    def close(self) -> None:
        self._inner.close()


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop on virtual time, starting at 0.0 seconds."""

    def __init__(self) -> None:
        self._virtual_selector = _VirtualSelector(selectors.DefaultSelector())
        super().__init__(self._virtual_selector)

    def time(self) -> float:
        return self._virtual_selector.now


class VirtualClock:
    """The clock of a ``VirtualTimeLoop``: ``now()`` is ``start`` plus the loop's virtual time."""

    def __init__(self, *, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._start = start

    @staticmethod
    def _loop() -> VirtualTimeLoop:
        loop = asyncio.get_running_loop()
        if not isinstance(loop, VirtualTimeLoop):
            raise RuntimeError("VirtualClock needs a running VirtualTimeLoop")
        return loop

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._loop().time())

    def monotonic(self) -> float:
        return self._loop().time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def run_virtual(main: Coroutine[Any, Any, T], *, debug: bool = False) -> T:
    """Run ``main`` to completion on a fresh ``VirtualTimeLoop`` (like ``asyncio.run``)."""
    with asyncio.Runner(debug=debug, loop_factory=VirtualTimeLoop) as runner:
        return runner.run(main)
