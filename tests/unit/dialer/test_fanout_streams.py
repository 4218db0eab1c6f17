"""Event fan-out: one bounded queue per subscriber, overflow is loud, close ends the stream."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialer.errors import EventQueueOverflow
from dialer.telephony import CallEvent, CallRinging, SeatStatusChanged
from dialer.telephony.fanout import Fanout

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def ringing(n: int) -> CallRinging:
    return CallRinging(call_id=f"c{n}", at=T0)


async def read(stream: object, count: int) -> list[CallEvent | SeatStatusChanged]:
    got = []
    async for event in stream:  # type: ignore[attr-defined]
        got.append(event)
        if len(got) == count:
            break
    return got


async def test_each_subscriber_gets_every_event_from_its_subscription_on() -> None:
    fanout = Fanout[CallEvent | SeatStatusChanged](maxsize=10)
    first = fanout.subscribe()
    fanout.publish(ringing(1))
    second = fanout.subscribe()  # subscribed at the call, before any anext
    fanout.publish(ringing(2))
    assert [e.call_id for e in await read(first, 2)] == ["c1", "c2"]  # type: ignore[union-attr]
    assert [e.call_id for e in await read(second, 1)] == ["c2"]  # type: ignore[union-attr]


async def test_a_subscriber_falling_behind_reads_its_backlog_then_overflows() -> None:
    fanout = Fanout[CallEvent | SeatStatusChanged](maxsize=3)
    slow = fanout.subscribe()
    for n in range(5):
        fanout.publish(ringing(n))
    assert fanout.subscribers == 0
    got = []
    with pytest.raises(EventQueueOverflow):
        async for event in slow:
            got.append(event)
    assert len(got) == 3


async def test_close_ends_every_stream_after_its_backlog() -> None:
    fanout = Fanout[CallEvent | SeatStatusChanged]()
    stream = fanout.subscribe()
    fanout.publish(ringing(1))
    fanout.close_all()
    assert [e async for e in stream] == [ringing(1)]
    assert [e async for e in fanout.subscribe()] == []


async def test_breaking_out_of_the_loop_unsubscribes() -> None:
    fanout = Fanout[CallEvent | SeatStatusChanged]()
    stream = fanout.subscribe()
    fanout.publish(ringing(1))
    async for _event in stream:
        break
    await stream.aclose()  # type: ignore[attr-defined]
    assert fanout.subscribers == 0
