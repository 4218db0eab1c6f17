from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agent_console.errors import TooManyAttempts
from agent_console.ratelimit import LoginLimiter
from renewals.clock import FixedClock


def test_name_and_address_limits_and_the_window() -> None:
    clock = FixedClock(datetime(2026, 12, 1, tzinfo=UTC))
    limiter = LoginLimiter(clock=clock, attempts=2, address_attempts=3, window_s=60)
    limiter.failed("name:li", "addr:1.2.3.4")
    limiter.check("name:li", "addr:1.2.3.4")
    limiter.failed("name:li", "addr:1.2.3.4")
    with pytest.raises(TooManyAttempts) as refused:
        limiter.check("name:li", "addr:9.9.9.9")
    assert refused.value.retry_after_s == 60
    limiter.check("name:wang", "addr:1.2.3.4")  # another name from the same office: allowed
    limiter.failed("name:wang", "addr:1.2.3.4")
    with pytest.raises(TooManyAttempts):
        limiter.check("name:zhao", "addr:1.2.3.4")  # the address used its 3
    clock.advance(timedelta(seconds=61))
    limiter.check("name:li", "addr:1.2.3.4")


def test_success_clears_the_name() -> None:
    clock = FixedClock(datetime(2026, 12, 1, tzinfo=UTC))
    limiter = LoginLimiter(clock=clock, attempts=1, address_attempts=10, window_s=60)
    limiter.failed("name:li", "addr:a")
    limiter.succeeded("name:li")
    limiter.check("name:li", "addr:a")
