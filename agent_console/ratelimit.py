"""Log-in attempts, rate-limited per user name and per client address.

In memory, per process: behind several processes an attacker gets ``attempts`` tries per
window per process, still a few dozen an hour rather than thousands a second.
"""

from __future__ import annotations

from collections import deque

from agent_console.errors import TooManyAttempts
from renewals.clock import Clock

__all__ = ["LoginLimiter"]


class LoginLimiter:
    """At most ``attempts`` failures per user name, and ``address_attempts`` per client address
    (a whole office may share one), within ``window_s`` seconds."""

    def __init__(
        self, *, clock: Clock, attempts: int, address_attempts: int, window_s: float
    ) -> None:
        self._clock, self._window_s = clock, window_s
        self._limits = {"name": attempts, "addr": address_attempts}
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        now = self._clock.now().timestamp()
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self._window_s:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def check(self, *keys: str) -> None:
        """Raise :class:`TooManyAttempts` if any key (``name:…`` or ``addr:…``) used up its
        failures."""
        now = self._clock.now().timestamp()
        for key in keys:
            times = self._recent(key)
            if len(times) >= self._limits[key.split(":", 1)[0]]:
                raise TooManyAttempts(retry_after_s=max(1.0, times[0] + self._window_s - now))

    def failed(self, *keys: str) -> None:
        now = self._clock.now().timestamp()
        for key in keys:
            self._recent(key)
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)
