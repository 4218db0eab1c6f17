"""A clock for tests: time stands still unless the test moves it."""

from __future__ import annotations

from datetime import datetime, timedelta


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def monotonic(self) -> float:
        return self.at.timestamp()

    async def sleep(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)

    def advance(self, delta: timedelta) -> None:
        self.at += delta
