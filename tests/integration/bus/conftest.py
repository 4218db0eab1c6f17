"""Redis for the bus tests: the machine's server at 127.0.0.1:6379, a random stream per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import redis

REDIS_URL = os.environ.get("XUBAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture
def stream_name() -> Iterator[str]:
    """A fresh stream key, deleted after the test."""
    name = f"xubao-test:{uuid.uuid4().hex[:12]}:events"
    yield name
    with redis.Redis.from_url(REDIS_URL) as client:
        client.delete(name)


@pytest.fixture
async def admin() -> AsyncIterator[redis.asyncio.Redis]:
    """A separate connection for the test itself (XLEN, CLIENT KILL, stray entries)."""
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


async def kill_clients(admin: redis.asyncio.Redis, name: str) -> int:
    """Kill our connections named ``name`` (and no one else's): the server drops them."""
    killed = 0
    for client in await admin.client_list():
        if client.get("name") == name:
            killed += int(await admin.client_kill_filter(_id=client["id"]))
    return killed
