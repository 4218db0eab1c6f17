"""Shared pieces of the AMI replay tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from dialer.asterisk.settings import AmiSettings

FIXTURE_SECRET = "dialer-fixture-secret"  # made up for the fixtures (their README)


class SteppingClock:
    """Wall time from a fixed start; real loop time and sleeps (the replay is real TCP)."""

    def now(self) -> datetime:
        return datetime(2026, 11, 26, 7, 31, tzinfo=UTC)

    def monotonic(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def settings_for(port: int, **overrides: object) -> AmiSettings:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port,
        "username": "dialer",
        "secret": FIXTURE_SECRET,
        "customer_dial_template": "Local/{number}@customer",
        "agent_interface_template": "Local/{agent}@agents/n",
        "supervisor_dial_template": "Local/{supervisor}@supervisor/n",
        "context": "dialer",
        "ping_interval_s": None,
        "action_timeout_s": 3.0,
        "connect_timeout_s": 3.0,
        "backoff_initial_s": 0.01,
        "backoff_max_s": 0.05,
    }
    values.update(overrides)
    return AmiSettings(**values)  # type: ignore[arg-type]


async def collect_until(
    events: AsyncIterator[object], predicate: object, *, timeout_s: float = 5.0
) -> list[object]:
    """Read events until one satisfies ``predicate`` (a callable); return all read."""
    seen: list[object] = []
    async with asyncio.timeout(timeout_s):
        async for event in events:
            seen.append(event)
            if predicate(event):  # type: ignore[operator]
                return seen
    return seen
