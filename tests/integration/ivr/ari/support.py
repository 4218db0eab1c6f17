"""Shared set-up of the ARI replay tests: a started replay server and a client aimed at it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

from ivr.ari import AriClient, AriEvent, AriRest, AriSettings
from tests.ari_transcripts import load
from tests.integration.ivr.ari.replay_server import AriReplay

E = TypeVar("E")

# The fixtures' made-up credentials (their README): the captured Authorization headers hold them.
FIXTURE_USER, FIXTURE_PASSWORD = "fixture", "fixture-ari-secret"


def settings_for(replay: AriReplay, *, password: str = FIXTURE_PASSWORD) -> AriSettings:
    return AriSettings(
        base_url=replay.http_url,
        events_base_url=replay.ws_url,
        app="xubao-ivr",
        username=FIXTURE_USER,
        password=password,
        backoff_initial_s=0.01,
        backoff_max_s=0.05,
        ping_interval_s=None,
        request_timeout_s=5.0,
    )


@asynccontextmanager
async def replay_server() -> AsyncIterator[AriReplay]:
    replay = AriReplay()
    await replay.start()
    try:
        yield replay
    finally:
        await replay.stop()


@asynccontextmanager
async def running_client(replay: AriReplay) -> AsyncIterator[AriClient]:
    """A client whose event loop runs in a task; the first re-sync is served 01's empty
    ``GET /channels`` (a freshly started Asterisk with no channel)."""
    replay.arm(load("01").one("GET", "/ari/channels"))
    settings = settings_for(replay)
    async with AriRest(settings=settings) as rest:
        client = AriClient(settings=settings, rest=rest)
        task = asyncio.create_task(client.run(), name="ari-client")
        try:
            await asyncio.wait_for(client.connected.wait(), 5)
            yield client
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def next_event(client: AriClient, kind: type[E]) -> E:
    """The next event of ``kind``; the ones before it are skipped."""

    async def find() -> E:
        while True:
            event: AriEvent = await client.events.get()
            if isinstance(event, kind):
                return event

    return await asyncio.wait_for(find(), 5.0)


def drain(client: AriClient) -> list[AriEvent]:
    out = []
    while not client.events.empty():
        out.append(client.events.get_nowait())
    return out
