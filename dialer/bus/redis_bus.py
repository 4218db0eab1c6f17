"""The event bus across processes and machines: one Redis stream (redis-py's asyncio client).

Publishing is one ``XADD`` with ``MAXLEN ~`` (the stream keeps about ``maxlen`` recent events,
then Redis trims whole nodes). Each ``RedisBus`` runs one reader task that ``XREAD``s the
stream from its tail at the time it started (the position ``$`` names) and fans every event
out to the process's subscriptions through bounded queues, so 200 websockets in one web
process cost one Redis connection and one decode per event, not 200.

When the link to Redis drops, the reader reconnects with exponential back-off (from the
injected clock) and continues from the last entry it read, so events still in the stream are
delivered; it first hands every subscription a ``BusResync``, because events published while a
publisher could not reach Redis are gone. A publisher that failed to publish also appends a
``BusResync`` before its next event, for subscribers whose own link never dropped.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from dialer.bus.codec import EventCodec
from dialer.bus.errors import BusUnavailable, EventCodecError
from dialer.bus.events import BusResync
from dialer.bus.memory import filtered
from dialer.telephony.fanout import Fanout
from renewals.clock import Clock

__all__ = ["RedisBus", "RedisBusOptions", "masked_url"]

log = logging.getLogger(__name__)
FIELD = "e"  # the one field of every stream entry: the encoded event
# Entries as redis-py returns them over RESP2 without decode_responses: (id, {field: value}).
Entries = list[tuple[bytes, dict[bytes, bytes]]]


@dataclass(frozen=True, slots=True, kw_only=True)
class RedisBusOptions:
    """``maxlen``: events kept in the stream; ``maxsize``: a subscription's queue (events);
    ``block_s``: one ``XREAD`` wait (seconds); back-off from ``backoff_min_s`` doubling up to
    ``backoff_max_s``; ``client_name`` names our connections in ``CLIENT LIST``."""

    maxlen: int = 100_000
    maxsize: int = 10_000
    block_s: float = 1.0
    backoff_min_s: float = 0.05
    backoff_max_s: float = 5.0
    client_name: str = "xubao-bus"


def masked_url(url: str) -> str:
    """The URL with its password replaced, fit for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedisBus:
    """``EventBus`` on a Redis stream; see the module docstring for delivery and re-sync."""

    def __init__(
        self,
        *,
        url: str,
        stream: str,
        codec: EventCodec,
        clock: Clock,
        options: RedisBusOptions | None = None,
    ) -> None:
        self._url, self._stream, self._codec, self._clock = url, stream, codec, clock
        self._opts = options or RedisBusOptions()
        self._fanout: Fanout[object] = Fanout(maxsize=self._opts.maxsize)
        self._writer = self._client("pub", socket_timeout=5.0)
        self._write_lock = asyncio.Lock()  # one XADD at a time: publish order is stream order
        self._lost = 0  # events this publisher failed to publish since its last success
        self._reader: asyncio.Task[None] | None = None
        self._positioned = asyncio.Event()
        self._closed = False

    def _client(self, role: str, *, socket_timeout: float) -> Redis:
        # No retries inside redis-py: a re-sent XADD would publish twice, and the reader must
        # see each drop to tell its subscribers to re-sync.
        return Redis.from_url(
            self._url,
            retry=Retry(NoBackoff(), 0),
            socket_timeout=socket_timeout,
            socket_connect_timeout=5.0,
            client_name=f"{self._opts.client_name}:{role}",
        )

    @property
    def stream(self) -> str:
        return self._stream

    async def start(self) -> None:
        """Start reading (if not yet) and return once the reader knows where the tail is.

        ``subscribe`` starts the reader too; a process that must not miss an event published
        right after it subscribed (a test, a readiness probe) awaits this first.
        """
        self._ensure_reader()
        await self._positioned.wait()

    async def publish(self, event: object) -> None:
        payload = self._codec.encode(event)  # a bad event fails here, before any I/O
        async with self._write_lock:
            try:
                if self._lost:
                    reason = f"a publisher could not publish {self._lost} event(s)"
                    await self._xadd(
                        self._codec.encode(BusResync(at=self._clock.now(), reason=reason))
                    )
                    log.warning("bus publishing again; %s", reason)
                    self._lost = 0
                await self._xadd(payload)
            except (RedisError, OSError) as exc:
                self._lost += 1
                raise BusUnavailable(f"cannot publish on {masked_url(self._url)}: {exc}") from exc

    async def _xadd(self, payload: bytes) -> None:
        await self._writer.xadd(
            self._stream, {FIELD: payload}, maxlen=self._opts.maxlen, approximate=True
        )

    def subscribe(self, *types: type) -> AsyncIterator[object]:
        subscription = self._fanout.subscribe()
        self._ensure_reader()
        return filtered(subscription, types) if types else subscription

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        reader = self._reader
        # redis-py 8.1 can swallow a cancel that lands between XREADs; the loop also stops on
        # ``_closed`` within one block, and the cancel is repeated until the task is done.
        while reader is not None and not reader.done():
            reader.cancel()
            await asyncio.wait({reader}, timeout=0.1)
        self._fanout.close_all()
        await self._writer.aclose()

    def _ensure_reader(self) -> None:
        if self._reader is None and not self._closed:
            self._reader = asyncio.get_running_loop().create_task(
                self._read_forever(), name=f"bus-reader-{self._stream}"
            )

    async def _read_forever(self) -> None:
        client = self._client("sub", socket_timeout=self._opts.block_s + 5.0)
        try:
            last_id = await self._position(client)
            while not self._closed:
                try:
                    last_id = await self._read_once(client, last_id)
                except (RedisError, OSError) as exc:
                    await self._reconnect(client, exc)
        finally:
            await client.aclose()

    async def _position(self, client: Redis) -> str:
        """The id of the stream's last entry now (what ``$`` would mean), after any wait."""
        while True:
            try:
                newest = cast(Entries, await client.xrevrange(self._stream, "+", "-", count=1))
                break
            except (RedisError, OSError) as exc:
                log.warning("bus %s: cannot reach Redis yet: %s", masked_url(self._url), exc)
                await self._clock.sleep(self._opts.backoff_max_s)
        self._positioned.set()
        return _text(newest[0][0]) if newest else "0-0"

    async def _read_once(self, client: Redis, last_id: str) -> str:
        block_ms = max(1, round(self._opts.block_s * 1000))
        reply = await client.xread({self._stream: last_id}, count=1000, block=block_ms)
        # A list of (stream, entries) over RESP2, a mapping over RESP3.
        streams = reply.items() if isinstance(reply, dict) else reply or []
        for _stream, entries in cast(list[tuple[bytes, Entries]], streams):
            for entry_id, fields in entries:
                last_id = _text(entry_id)
                self._fanout.publish(self._decode(last_id, fields))
        return last_id

    def _decode(self, entry_id: str, fields: dict[bytes, bytes]) -> object:
        try:
            return self._codec.decode(fields[FIELD.encode()])
        except (EventCodecError, KeyError) as exc:
            # An event we cannot build (a newer publisher, a stray writer): the subscribers
            # cannot have it, so they are told to re-sync rather than left silently behind.
            log.error("bus entry %s of %s unreadable: %s", entry_id, self._stream, exc)
            return BusResync(at=self._clock.now(), reason=f"entry {entry_id} unreadable: {exc}")

    async def _reconnect(self, client: Redis, exc: BaseException) -> None:
        """Back off until Redis answers again, then tell every subscription to re-sync."""
        log.warning("bus link to %s lost: %s", masked_url(self._url), exc)
        attempt = 0
        while True:
            attempt += 1
            await self._clock.sleep(self._backoff(attempt))
            try:
                await client.ping()
            except (RedisError, OSError) as again:
                log.info("bus reconnect attempt %d failed: %s", attempt, again)
                continue
            break
        log.info("bus link to %s back after %d attempt(s)", masked_url(self._url), attempt)
        reason = f"the link to Redis dropped ({exc})"
        self._fanout.publish(BusResync(at=self._clock.now(), reason=reason))

    def _backoff(self, attempt: int) -> float:
        base = min(self._opts.backoff_max_s, self._opts.backoff_min_s * 2.0 ** (attempt - 1))
        return float(base * random.uniform(0.8, 1.2))  # spread many processes' reconnects


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
