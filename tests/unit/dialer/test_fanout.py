"""Bounded event queues: a slow consumer is cut off, the publisher never waits."""

from __future__ import annotations

import pytest

from dialer.errors import BackendUnavailable, EventQueueOverflow
from dialer.telephony.fanout import Fanout


async def test_overflow_closes_only_the_slow_subscriber() -> None:
    fanout: Fanout[int] = Fanout(maxsize=3)
    slow, fast = fanout.subscribe(), fanout.subscribe()
    received = []
    for i in range(5):
        fanout.publish(i)  # never blocks, even with a full queue
        received.append(await fast.__anext__())
    assert received == [0, 1, 2, 3, 4]
    assert [await slow.__anext__() for _ in range(3)] == [0, 1, 2]
    with pytest.raises(EventQueueOverflow) as overflow:
        await slow.__anext__()
    assert isinstance(overflow.value, BackendUnavailable)


async def test_close_all_ends_iteration_after_the_queued_items() -> None:
    fanout: Fanout[str] = Fanout(maxsize=10)
    sub = fanout.subscribe()
    fanout.publish("a")
    fanout.close_all()
    assert [item async for item in sub] == ["a"]
