"""The IVR's bus: the node's Redis bus when ``XUBAO_BUS_URL`` names one, else none at all (an
in-memory bus in the IVR's own process would reach no console)."""

from __future__ import annotations

from datetime import UTC, datetime

from config.ivr import ivr_bus
from config.settings import Settings
from dialer.bus.redis_bus import RedisBus
from renewals.clock import FixedClock

CLOCK = FixedClock(datetime(2026, 3, 2, 1, 30, tzinfo=UTC))


async def test_no_bus_url_no_bus() -> None:
    async with ivr_bus(Settings(), CLOCK) as bus:
        assert bus is None


async def test_the_nodes_redis_bus_is_used_and_closed() -> None:
    settings = Settings(bus_url="redis://127.0.0.1:6379/0", bus_stream="floor-1")
    async with ivr_bus(settings, CLOCK) as bus:
        assert isinstance(bus, RedisBus) and bus.stream == "floor-1"
    assert bus._closed  # the IVR's connection is not left open
