"""A token bucket on the injected clock: caps Originates per second towards the trunk."""

from __future__ import annotations

from renewals.clock import Clock

__all__ = ["TokenBucket"]


class TokenBucket:
    """``rate_per_s`` tokens per second, at most ``burst`` saved up."""

    def __init__(self, *, rate_per_s: float, burst: int, clock: Clock) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("rate_per_s must be > 0 and burst >= 1")
        self._rate = rate_per_s
        self._burst = float(burst)
        self._clock = clock
        self._tokens = float(burst)
        self._stamp: float | None = None

    def _refill(self) -> None:
        now = self._clock.monotonic()
        if self._stamp is not None:
            self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now

    async def acquire(self) -> None:
        """Take one token, sleeping on the clock until one is available."""
        self._refill()
        while self._tokens < 1.0:
            await self._clock.sleep((1.0 - self._tokens) / self._rate)
            self._refill()
        self._tokens -= 1.0
