"""The node's bus: chosen by the settings; the relay keeps order and retries; the bridge resyncs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from config.bus import BusRelay, PortBridge, build_bus
from config.settings import Settings
from dialer.bus import BusResync, BusUnavailable, MemoryBus
from dialer.bus.redis_bus import RedisBus
from dialer.telephony.events import CallBridged, CallRinging, PortEvent
from dialer.telephony.fanout import Fanout
from renewals.clock import FixedClock

T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def ringing(n: int) -> CallRinging:
    return CallRinging(call_id=f"c{n}", at=T0)


class FlakyBus(MemoryBus):
    """A real in-memory bus whose first ``failures`` publishes fail as an unreachable broker's."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures
        self.attempts = 0

    async def publish(self, event: object) -> None:
        self.attempts += 1
        await asyncio.sleep(0)
        if self.failures:
            self.failures -= 1
            raise BusUnavailable("redis://127.0.0.1:6379/0 refused the connection")
        await super().publish(event)


async def collect(bus: MemoryBus, relay: BusRelay, count: int) -> list[object]:
    sub = bus.subscribe()
    task = asyncio.create_task(relay.run())
    got: list[object] = []
    async with asyncio.timeout(5):
        async for event in sub:
            got.append(event)
            if len(got) == count:
                break
        await relay.drained()
    task.cancel()
    return got


async def test_the_relay_publishes_in_order_and_retries_through_an_outage() -> None:
    clock = FixedClock(T0)
    bus = FlakyBus(failures=3)
    relay = BusRelay(bus=bus, clock=clock, retry_s=(0.1, 1.0))
    for n in range(4):
        relay.post(ringing(n))
    assert await collect(bus, relay, 4) == [ringing(n) for n in range(4)]
    assert bus.attempts == 7
    assert (clock.now() - T0).total_seconds() == pytest.approx(0.1 + 0.2 + 0.4)


async def test_a_full_relay_drops_the_oldest_and_announces_a_resync() -> None:
    bus = FlakyBus(failures=0)
    relay = BusRelay(bus=bus, clock=FixedClock(T0), maxsize=2)
    for n in range(4):
        relay.post(ringing(n))
    got = await collect(bus, relay, 3)
    assert isinstance(got[0], BusResync) and "dropped 2" in got[0].reason
    assert got[1:] == [ringing(2), ringing(3)]


async def test_the_bridge_reopens_an_overflowed_port_subscription_after_a_resync() -> None:
    fanout: Fanout[PortEvent] = Fanout(maxsize=2)
    opened: list[int] = []

    def port_events() -> AsyncIterator[PortEvent]:
        opened.append(1)
        return fanout.subscribe()

    bus = MemoryBus()
    relay = BusRelay(bus=bus, clock=FixedClock(T0))
    bridge = PortBridge(port_events=port_events, relay=relay, clock=FixedClock(T0))
    for n in range(3):  # the bridge has not run yet: its queue of 2 overflows
        fanout.publish(ringing(n))
    sub = bus.subscribe()
    relay_task, bridge_task = asyncio.create_task(relay.run()), asyncio.create_task(bridge.run())
    got: list[object] = []
    async with asyncio.timeout(5):
        async for event in sub:
            got.append(event)
            if len(got) == 3:
                fanout.publish(CallBridged(call_id="c9", at=T0, agent_id="1001"))
            if len(got) == 4:
                break
    assert got[:2] == [ringing(0), ringing(1)]
    assert isinstance(got[2], BusResync)
    assert got[3] == CallBridged(call_id="c9", at=T0, agent_id="1001")
    assert len(opened) == 2
    fanout.close_all()
    await asyncio.wait_for(bridge_task, 5)  # the port closed: the bridge ends
    relay_task.cancel()


async def test_the_settings_choose_the_bus() -> None:
    clock = FixedClock(T0)
    assert isinstance(build_bus(Settings(), clock), MemoryBus)
    redis_bus = build_bus(Settings(bus_url="redis://127.0.0.1:6379/0"), clock)
    assert isinstance(redis_bus, RedisBus) and redis_bus.stream == "xubao:events"
    await redis_bus.close()
    with pytest.raises(ValueError, match="XUBAO_BUS_URL: amqp scheme"):
        build_bus(Settings(bus_url="amqp://127.0.0.1/"), clock)


def test_the_bus_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XUBAO_BUS_URL", "redis://10.0.0.5:6379/2")
    monkeypatch.setenv("XUBAO_BUS_STREAM", "floor-1")
    settings = Settings.load()
    assert (settings.bus_url, settings.bus_stream) == ("redis://10.0.0.5:6379/2", "floor-1")
