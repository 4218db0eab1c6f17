import asyncio
from dataclasses import dataclass

import pytest

from dialer.bus import EventBus, MemoryBus
from dialer.errors import EventQueueOverflow


@dataclass(frozen=True)
class Ping:
    n: int


@dataclass(frozen=True)
class Pong:
    n: int


async def _take(source: object, count: int) -> list[object]:
    out: list[object] = []
    async for event in source:  # type: ignore[attr-defined]
        out.append(event)
        if len(out) == count:
            break
    return out


async def test_subscribers_get_their_types_in_order() -> None:
    bus = MemoryBus()
    assert isinstance(bus, EventBus)
    pings, everything = bus.subscribe(Ping), bus.subscribe()
    for n in range(3):
        await bus.publish(Ping(n))
        await bus.publish(Pong(n))
    assert await _take(pings, 3) == [Ping(0), Ping(1), Ping(2)]
    assert await _take(everything, 6) == [Ping(0), Pong(0), Ping(1), Pong(1), Ping(2), Pong(2)]


async def test_a_slow_subscriber_overflows_instead_of_losing_single_events() -> None:
    bus = MemoryBus(maxsize=2)
    slow = bus.subscribe()
    for n in range(3):
        await bus.publish(Ping(n))
    assert await _take(slow, 2) == [Ping(0), Ping(1)]
    with pytest.raises(EventQueueOverflow):
        await asyncio.wait_for(_take(slow, 1), 1)


async def test_close_ends_every_subscription() -> None:
    bus = MemoryBus()
    sub = bus.subscribe(Ping)
    await bus.close()
    assert await asyncio.wait_for(_take(sub, 1), 1) == []
