"""The Originate token bucket, on a fake clock (no real sleeping)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialer.asterisk.ratelimit import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return datetime(2026, 1, 1, tzinfo=UTC)

    def monotonic(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


async def test_burst_then_one_per_interval() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate_per_s=2.0, burst=2, clock=clock)
    for _ in range(4):
        await bucket.acquire()
    assert clock.sleeps == [pytest.approx(0.5), pytest.approx(0.5)]


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="rate_per_s"):
        TokenBucket(rate_per_s=0, burst=1, clock=FakeClock())
