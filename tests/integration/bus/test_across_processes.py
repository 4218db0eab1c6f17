"""The bus across OS processes on Redis: a publisher and two subscribers, each its own process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.redis

MODULE = "tests.integration.bus.bus_process"


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", MODULE, *args], stdout=subprocess.PIPE, text=True
    )


def test_two_subscriber_processes_get_agent_a_and_b_calls_in_order(
    redis_url: str, stream_name: str
) -> None:
    calls = 200
    bus = ["--url", redis_url, "--stream", stream_name]
    subscribers = [_spawn("subscribe", *bus, "--count", str(calls)) for _ in range(2)]
    try:
        for sub in subscribers:
            assert sub.stdout is not None
            assert sub.stdout.readline().strip() == "ready"
        publisher = _spawn("publish", *bus, "--agents", "A,B", "--calls", str(calls))
        assert publisher.wait(timeout=60) == 0
        expected = [{"call_id": f"call-{n:04d}", "agent_id": "AB"[n % 2]} for n in range(calls)]
        for sub in subscribers:
            out, _ = sub.communicate(timeout=60)
            assert sub.returncode == 0
            assert [json.loads(line) for line in out.splitlines()] == expected
    finally:
        for sub in subscribers:
            if sub.poll() is None:
                sub.kill()
                sub.wait()
