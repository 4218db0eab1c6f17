"""The event half of ARI: one websocket per Stasis app, reconnected with back-off, re-synced.

What the captures taught (fixture 05): after a reconnect Asterisk replays nothing, neither a
StasisStart for channels still in Stasis nor a StasisEnd/ChannelDestroyed for those that ended
meanwhile; a channel stays in Stasis, controllable over REST, while no socket is connected.
So after every (re)connect the client lists the channels (``GET /channels``), keeps those
running ``Stasis(<our app>, …)`` and reports the difference with what it knew as
:class:`ChannelRecovered` (found, never seen here) and :class:`ChannelGone` (ended while away).
The socket is opened first and the list read second, so no event falls between the two.

A second socket for the same app takes the events over and the first gets ApplicationReplaced
(05 d2): another process is running our app, and two fighting for it would each lose events,
so :meth:`AriClient.run` stops with :class:`AriAppReplaced` instead of reconnecting.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake, InvalidStatus, WebSocketException

from ivr.ari.events import (
    AppReplaced,
    AriEvent,
    ChannelDestroyed,
    ChannelGone,
    ChannelRecovered,
    StasisEnd,
    StasisStart,
    parse_event,
)
from ivr.ari.rest import AriRest
from ivr.ari.settings import AriSettings
from ivr.errors import AriAppReplaced, AriHandshakeFailed, AriUnavailable

__all__ = ["AriClient"]

log = logging.getLogger(__name__)

# Handshake answers that retrying cannot fix: wrong credentials, a request without ``app``.
_FATAL_HANDSHAKE = (400, 401, 403)

Sleep = Callable[[float], Awaitable[None]]


class AriClient:
    """Reads the app's events into :attr:`events` until cancelled.

    ``in_stasis`` is the set of channel ids this client believes are in our app now.
    """

    def __init__(self, *, settings: AriSettings, rest: AriRest, sleep: Sleep = asyncio.sleep):
        self._settings = settings
        self._rest = rest
        self._sleep = sleep
        self.events: asyncio.Queue[AriEvent] = asyncio.Queue(settings.event_queue_size)
        self._live: dict[str, tuple[str, ...]] = {}
        self.connected = asyncio.Event()
        self.connections = 0  # successful handshakes so far (1 = never reconnected)

    @property
    def rest(self) -> AriRest:
        return self._rest

    @property
    def in_stasis(self) -> frozenset[str]:
        return frozenset(self._live)

    def _url(self) -> str:
        query = urlencode([("app", self._settings.app), ("subscribeAll", "false")])
        return f"{self._settings.events_url}?{query}"

    def _headers(self) -> dict[str, str]:
        pair = f"{self._settings.username}:{self._settings.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}

    async def run(self) -> None:
        """Connect, read, reconnect after back-off; returns only by cancellation or raising
        :class:`AriHandshakeFailed` (bad credentials/app) or :class:`AriAppReplaced`."""
        s = self._settings
        delay = s.backoff_initial_s
        while True:
            try:
                await self._session()
                delay = s.backoff_initial_s  # the socket was up: start the back-off over
            except InvalidStatus as exc:
                status = exc.response.status_code
                body = exc.response.body.decode("utf-8", "replace") if exc.response.body else ""
                if status in _FATAL_HANDSHAKE:
                    raise AriHandshakeFailed(status, body) from exc
                log.warning("ARI websocket refused with HTTP %s; retrying in %.1f s", status, delay)
            except (OSError, TimeoutError, InvalidHandshake, WebSocketException) as exc:
                log.warning("ARI websocket lost (%s); reconnecting in %.1f s", exc, delay)
            except AriUnavailable as exc:
                log.warning("ARI re-sync failed (%s); reconnecting in %.1f s", exc, delay)
            finally:
                self.connected.clear()
            await self._sleep(delay)
            delay = min(delay * s.backoff_factor, s.backoff_max_s)

    async def _session(self) -> None:
        s = self._settings
        async with connect(
            self._url(),
            additional_headers=self._headers(),
            user_agent_header="xubao-ivr",
            compression=None,
            proxy=None,
            open_timeout=s.connect_timeout_s,
            ping_interval=s.ping_interval_s,
            ping_timeout=s.ping_interval_s,
        ) as ws:
            self.connections += 1
            log.info("ARI events connected (connection %s)", self.connections)
            await self._resync()
            self.connected.set()
            await self._read(ws)
        log.warning("ARI websocket closed by Asterisk")

    async def _read(self, ws: ClientConnection) -> None:
        async for frame in ws:
            if not isinstance(frame, str):
                log.warning("ARI sent a binary frame of %s bytes; ignored", len(frame))
                continue
            try:
                event = parse_event(frame)
            except ValueError as exc:
                log.warning("ARI frame not understood (%s): %.200s", exc, frame)
                continue
            self._track(event)
            await self.events.put(event)
            if isinstance(event, AppReplaced):
                raise AriAppReplaced(event.application)

    def _track(self, event: AriEvent) -> None:
        if isinstance(event, StasisStart):
            self._live[event.channel.id] = event.args
        elif isinstance(event, StasisEnd | ChannelDestroyed):
            self._live.pop(event.channel.id, None)

    async def _resync(self) -> None:
        """Compare ``GET /channels`` (those in our app) with what we knew; report both ways."""
        listed = {
            c.id: c for c in await self._rest.channels() if c.in_stasis_of(self._settings.app)
        }
        for gone in [cid for cid in self._live if cid not in listed]:
            del self._live[gone]
            log.info("channel %s ended while the event socket was down", gone)
            await self.events.put(ChannelGone(channel_id=gone))
        for cid, channel in listed.items():
            if cid not in self._live:
                self._live[cid] = channel.stasis_args
                log.info("channel %s found in Stasis after (re)connecting", cid)
                await self.events.put(ChannelRecovered(channel=channel, args=channel.stasis_args))

    def forget(self, channel_id: str) -> None:
        """The driver finished with ``channel_id`` (hung up or continued): stop tracking it."""
        self._live.pop(channel_id, None)
