"""The virtual-time loop: timers fire in order and at once; the clock reads the loop."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from dialer.simulated import VirtualClock, VirtualTimeLoop, run_virtual

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_sleeps_advance_virtual_time_exactly() -> None:
    clock = VirtualClock(start=T0)

    async def main() -> tuple[float, datetime]:
        await clock.sleep(90.5)
        return clock.monotonic(), clock.now()

    assert run_virtual(main()) == (90.5, T0 + timedelta(seconds=90.5))


def test_timers_fire_in_time_order_whatever_the_start_order() -> None:
    clock = VirtualClock(start=T0)
    fired: list[tuple[str, float]] = []

    async def after(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        fired.append((name, clock.monotonic()))

    async def main() -> None:
        async with asyncio.TaskGroup() as group:
            for name, seconds in (("c", 30.0), ("a", 10.0), ("b", 20.0)):
                group.create_task(after(name, seconds), name=f"after-{name}")

    run_virtual(main())
    assert fired == [("a", 10.0), ("b", 20.0), ("c", 30.0)]


def test_wait_for_timeout_is_virtual_too() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(loop.create_future(), timeout=2.0)
        return loop.time()

    assert run_virtual(main()) == 2.0


def test_an_eight_hour_shift_of_many_timers_runs_in_virtual_time() -> None:
    clock = VirtualClock(start=T0)
    ticks = 0

    async def agent(period: float) -> None:
        nonlocal ticks
        while clock.monotonic() < 8 * 3600:
            await clock.sleep(period)
            ticks += 1

    async def main() -> datetime:
        async with asyncio.TaskGroup() as group:
            for i in range(50):
                group.create_task(agent(30.0 + i), name=f"agent-{i}")
        return clock.now()

    end = run_virtual(main())
    assert end >= T0 + timedelta(hours=8)
    assert ticks > 50 * 8 * 3600 / 80


def test_real_threads_still_wake_the_loop_when_nothing_is_scheduled() -> None:
    async def main() -> int:
        return await asyncio.to_thread(sum, [1, 2, 3])

    assert run_virtual(main()) == 6


def test_virtual_clock_refuses_a_real_loop() -> None:
    clock = VirtualClock(start=T0)

    async def main() -> None:
        clock.now()

    with pytest.raises(RuntimeError, match="VirtualTimeLoop"):
        asyncio.run(main())


def test_virtual_clock_needs_an_aware_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        VirtualClock(start=datetime(2026, 1, 1))


def test_a_fresh_loop_starts_at_zero() -> None:
    loop = VirtualTimeLoop()
    try:
        assert loop.time() == 0.0
    finally:
        loop.close()
