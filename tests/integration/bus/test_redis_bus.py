"""RedisBus against the machine's Redis: order, fan-out, trimming, overflow, link drops."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import redis

from dialer.bus import DIALER_EVENTS, BusResync, BusUnavailable, EventBus, EventCodec
from dialer.bus.redis_bus import FIELD, RedisBus, RedisBusOptions, masked_url
from dialer.errors import EventQueueOverflow
from dialer.telephony.events import CallBridged, CallHungUp, CallRinging
from renewals.clock import SystemClock
from tests.integration.bus.conftest import kill_clients

pytestmark = pytest.mark.redis

T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def make_bus(url: str, stream: str, name: str = "", **options: object) -> RedisBus:
    opts = RedisBusOptions(
        client_name=name or f"xubao-test-{uuid.uuid4().hex[:8]}",
        block_s=0.2,
        backoff_min_s=0.02,
        backoff_max_s=0.2,
        **options,  # type: ignore[arg-type]
    )
    return RedisBus(
        url=url, stream=stream, codec=EventCodec(DIALER_EVENTS), clock=SystemClock(), options=opts
    )


async def take(source: AsyncIterator[object], count: int) -> list[object]:
    out: list[object] = []
    async with asyncio.timeout(10):
        async for event in source:
            out.append(event)
            if len(out) == count:
                break
    return out


def bridged(n: int, agent: str = "1001") -> CallBridged:
    return CallBridged(call_id=f"c{n}", at=T0, agent_id=agent, wait_s=n / 10)


async def test_two_processes_buses_see_every_event_in_order(
    redis_url: str, stream_name: str
) -> None:
    publisher, web_a, web_b = (make_bus(redis_url, stream_name) for _ in range(3))
    try:
        assert isinstance(publisher, EventBus)
        everything, only_bridged = web_a.subscribe(), web_b.subscribe(CallBridged)
        await web_a.start()
        await web_b.start()
        sent: list[object] = []
        for n in range(50):
            for event in (CallRinging(call_id=f"c{n}", at=T0), bridged(n)):
                await publisher.publish(event)
                sent.append(event)
        assert await take(everything, 100) == sent
        assert await take(only_bridged, 50) == [e for e in sent if isinstance(e, CallBridged)]
    finally:
        for bus in (publisher, web_a, web_b):
            await bus.close()


async def test_a_subscriber_starts_at_the_tail(redis_url: str, stream_name: str) -> None:
    publisher, web = make_bus(redis_url, stream_name), make_bus(redis_url, stream_name)
    try:
        await publisher.publish(bridged(1))  # before the web bus started: not for it
        sub = web.subscribe()
        await web.start()
        await publisher.publish(bridged(2))
        assert await take(sub, 1) == [bridged(2)]
    finally:
        await publisher.close()
        await web.close()


async def test_the_stream_is_trimmed_near_maxlen(
    redis_url: str, stream_name: str, admin: redis.asyncio.Redis
) -> None:
    bus = make_bus(redis_url, stream_name, maxlen=1000)
    try:
        for n in range(3000):
            await bus.publish(CallRinging(call_id=f"c{n}", at=T0))
        length = await admin.xlen(stream_name)
        assert 1000 <= length < 3000
    finally:
        await bus.close()


async def test_a_slow_subscriber_overflows(
    redis_url: str, stream_name: str, admin: redis.asyncio.Redis
) -> None:
    bus = make_bus(redis_url, stream_name, maxsize=3)
    codec = EventCodec(DIALER_EVENTS)
    try:
        slow = bus.subscribe()
        await bus.start()
        # Five entries in one transaction: the reader gets them in one XREAD and offers all five
        # before the subscriber can take one (added one by one, a quick taker keeps up).
        async with admin.pipeline(transaction=True) as pipe:
            for n in range(5):
                pipe.xadd(stream_name, {FIELD: codec.encode(bridged(n))})
            await pipe.execute()
        assert await take(slow, 3) == [bridged(n) for n in range(3)]
        with pytest.raises(EventQueueOverflow):
            await take(slow, 1)
    finally:
        await bus.close()


async def test_killed_reader_connection_resumes_and_asks_for_resync(
    redis_url: str, stream_name: str, admin: redis.asyncio.Redis
) -> None:
    name = f"xubao-test-{uuid.uuid4().hex[:8]}"
    publisher, web = make_bus(redis_url, stream_name), make_bus(redis_url, stream_name, name)
    try:
        sub = web.subscribe(CallBridged)
        await web.start()
        await publisher.publish(bridged(1))
        assert await take(sub, 1) == [bridged(1)]
        assert await kill_clients(admin, f"{name}:sub") == 1
        await publisher.publish(bridged(2))  # while the reader is reconnecting
        await publisher.publish(bridged(3))
        got = await take(sub, 3)
        assert isinstance(got[0], BusResync) and "dropped" in got[0].reason
        assert got[1:] == [bridged(2), bridged(3)]  # nothing lost: read on from the last id
        await publisher.publish(bridged(4))
        assert await take(sub, 1) == [bridged(4)]
    finally:
        await publisher.close()
        await web.close()


async def test_a_stray_entry_becomes_a_resync(
    redis_url: str, stream_name: str, admin: redis.asyncio.Redis
) -> None:
    publisher, web = make_bus(redis_url, stream_name), make_bus(redis_url, stream_name)
    try:
        sub = web.subscribe(CallHungUp)
        await web.start()
        await admin.xadd(stream_name, {"e": b'{"type":"Nonsense","data":{}}'})
        await publisher.publish(CallHungUp(call_id="c1", at=T0))
        got = await take(sub, 2)
        assert isinstance(got[0], BusResync) and "Nonsense" in got[0].reason
        assert got[1] == CallHungUp(call_id="c1", at=T0)
    finally:
        await publisher.close()
        await web.close()


async def test_publishing_without_redis_fails_clearly_and_hides_the_password() -> None:
    url = "redis://:s3cret@127.0.0.1:1/0"
    bus = make_bus(url, "nowhere")
    try:
        with pytest.raises(BusUnavailable, match=r"redis://:\*\*\*@127\.0\.0\.1:1/0") as caught:
            await bus.publish(bridged(1))
        assert "s3cret" not in str(caught.value)
    finally:
        await bus.close()
    assert masked_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


async def test_a_failed_publisher_announces_a_resync_before_its_next_event(
    redis_url: str, stream_name: str, admin: redis.asyncio.Redis
) -> None:
    name = f"xubao-test-{uuid.uuid4().hex[:8]}"
    publisher, web = make_bus(redis_url, stream_name, name), make_bus(redis_url, stream_name)
    try:
        sub = web.subscribe(CallBridged)
        await web.start()
        await publisher.publish(bridged(1))
        # An idle pooled connection the server dropped: redis-py may notice before sending
        # (then nothing fails) or on the reply (then BusUnavailable); both must end well.
        await kill_clients(admin, f"{name}:pub")
        try:
            await publisher.publish(bridged(2))
            expected: list[object] = [bridged(1), bridged(2)]
        except BusUnavailable:
            expected = [bridged(1)]
        await publisher.publish(bridged(3))
        got = await take(sub, len(expected) + (1 if len(expected) == 1 else 0) + 1)
        if len(expected) == 1:
            assert got[0] == bridged(1) and isinstance(got[1], BusResync)
            assert got[2] == bridged(3)
        else:
            assert got == [*expected, bridged(3)]
    finally:
        await publisher.close()
        await web.close()
