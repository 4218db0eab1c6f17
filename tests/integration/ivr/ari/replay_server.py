"""A loopback Asterisk HTTP server and websocket server replaying ARI captures byte for byte.

HTTP: the test arms captured exchanges; a request is answered with the first armed exchange of
the same method, path and query (as parsed pairs: httpx writes a space as ``+``, the recorder as
``%20``), with the captured status line, headers and body exactly. An unarmed request gets a
599 so the test fails naming it. Websocket: each accepted socket is numbered; the test sends
captured frames on it, closes it (close frame 1000) or drops it (TCP abort, no close frame, as
in 05 d3). A captured failed handshake (04) can be armed for the next upgrade.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from tests.ari_transcripts import HttpExchange, WsFrame

__all__ = ["AriReplay", "Received"]

WAIT_S = 5.0  # a bound on waits so a broken test fails instead of hanging
Key = tuple[str, str, tuple[tuple[str, str], ...]]


def _key(method: str, target: str, ignored: frozenset[str] = frozenset()) -> Key:
    parts = urlsplit(target)
    pairs = [p for p in parse_qsl(parts.query, keep_blank_values=True) if p[0] not in ignored]
    return method, unquote(parts.path), tuple(sorted(pairs))


@dataclass(frozen=True)
class Received:
    method: str
    target: str
    headers: dict[str, str]


@dataclass
class AriReplay:
    armed: dict[Key, deque[HttpExchange]] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)
    sockets: list[ServerConnection] = field(default_factory=list)
    upgrades: list[Request] = field(default_factory=list)
    failed_handshakes: deque[dict[str, Any]] = field(default_factory=deque)
    # Request parameters left out when matching (a test says why, e.g. ``lang``, which our
    # driver always sends and the capture's recorder did not).
    ignored_params: frozenset[str] = frozenset()
    _http: asyncio.Server | None = None
    _ws: Server | None = None
    _ws_port: int = 0
    _new_socket: asyncio.Condition = field(default_factory=asyncio.Condition)
    _request_seen: asyncio.Condition = field(default_factory=asyncio.Condition)

    # ------------------------------------------------------------ set-up
    async def start(self) -> None:
        self._http = await asyncio.start_server(self._serve_http, "127.0.0.1", 0)
        await self.start_ws(0)

    async def start_ws(self, port: int) -> None:
        self._ws = await serve(
            self._serve_ws, "127.0.0.1", port, process_request=self._upgrade, compression=None
        )
        self._ws_port = next(iter(self._ws.sockets)).getsockname()[1]

    async def stop_ws(self) -> None:
        """Close the websocket listener (Asterisk down): connections are refused."""
        if self._ws is not None:
            self._ws.close()
            await self._ws.wait_closed()
            self._ws = None

    async def stop(self) -> None:
        await self.stop_ws()
        if self._http is not None:
            self._http.close()
            await self._http.wait_closed()

    @property
    def http_url(self) -> str:
        assert self._http is not None
        return f"http://127.0.0.1:{self._http.sockets[0].getsockname()[1]}"

    @property
    def ws_url(self) -> str:
        return f"http://127.0.0.1:{self._ws_port}"

    def arm(self, *exchanges: HttpExchange) -> None:
        for exchange in exchanges:
            key = _key(exchange.method, exchange.target)
            self.armed.setdefault(key, deque()).append(exchange)

    def unserved(self) -> list[str]:
        return [f"{x.method} {x.target}" for q in self.armed.values() for x in q]

    # --------------------------------------------------------------- HTTP
    async def _serve_http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = dict(
                    (k.strip().lower(), v.strip())
                    for k, _, v in (line.partition(":") for line in lines[1:] if line)
                )
                length = int(headers.get("content-length", "0"))
                if length:
                    await reader.readexactly(length)
                async with self._request_seen:
                    self.requests.append(Received(method, target, headers))
                    self._request_seen.notify_all()
                queue = self.armed.get(_key(method, target, self.ignored_params))
                if queue:
                    writer.write(queue.popleft().raw_response)
                else:
                    body = f"not armed: {method} {target}".encode()
                    writer.write(
                        b"HTTP/1.1 599 Not Armed\r\nContent-Length: %d\r\n\r\n%s"
                        % (len(body), body)
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def wait_request(self, method: str, path: str, *, count: int = 1) -> Received:
        """The ``count``-th request to ``method path``, waiting for it to arrive."""

        async def seen() -> Received:
            async with self._request_seen:
                while True:
                    hits = [
                        r
                        for r in self.requests
                        if r.method == method and urlsplit(r.target).path == path
                    ]
                    if len(hits) >= count:
                        return hits[count - 1]
                    await self._request_seen.wait()

        return await asyncio.wait_for(seen(), WAIT_S)

    # ---------------------------------------------------------- websocket
    def arm_failed_handshake(self, record: dict[str, Any]) -> None:
        self.failed_handshakes.append(record)

    async def _upgrade(self, connection: ServerConnection, request: Request) -> Response | None:
        self.upgrades.append(request)
        if not self.failed_handshakes:
            return None
        answer = self.failed_handshakes.popleft()["response"]
        body = answer["body"]["text"].encode("utf-8") if answer["body"] else b""
        return Response(answer["status"], answer["reason"], Headers(answer["headers"]), body)

    async def _serve_ws(self, connection: ServerConnection) -> None:
        async with self._new_socket:
            self.sockets.append(connection)
            self._new_socket.notify_all()
        await connection.wait_closed()

    async def socket(self, number: int) -> ServerConnection:
        """The ``number``-th accepted websocket (1-based), waiting for it to connect."""

        async def accepted() -> ServerConnection:
            async with self._new_socket:
                await self._new_socket.wait_for(lambda: len(self.sockets) >= number)
                return self.sockets[number - 1]

        return await asyncio.wait_for(accepted(), WAIT_S)

    async def send(self, number: int, frames: list[WsFrame]) -> None:
        ws = await self.socket(number)
        for frame in frames:
            await ws.send(frame.text)

    async def close(self, number: int) -> None:
        ws = await self.socket(number)
        await ws.close(1000)

    async def drop(self, number: int) -> None:
        """Tear the TCP connection down without a close frame."""
        ws = await self.socket(number)
        with contextlib.suppress(Exception):
            ws.transport.abort()
