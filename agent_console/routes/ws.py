"""The agent's websocket (``/ws/agent``): pushes, and the server-driven heartbeat.

Only an agent's valid session from a page of this host is accepted (else the handshake is
refused with 403). Messages are JSON objects with a ``type``:

server → browser
  ``seat``        ``{"seat": {"state", "campaign_id", "since", "pause_code", "call_id",
                  "deadline", "now"}}``: the seat as stored; ``deadline`` ends wrap-up or a
                  timed pause; ``now`` is the server's clock (the page counts on it)
  ``pop``         ``{"call_id", "attempt_id", "card": {"lead", "quote", "claims", "history"}}``:
                  a customer was connected to this agent (also re-sent on resync while the call
                  or its wrap-up lasts)
  ``call_ended``  ``{"call_id"}``: the customer hung up; wrap-up begins
  ``ping``        ``{"n"}``: every ``ping_s`` seconds; the browser answers ``pong`` with ``n``
browser → server
  ``pong``        ``{"n"}``: keeps the seat counted (its heartbeat, written for every socket of
                  the process once a second); a changed seat is sent
  ``resync``      ``{}``: send the seat and the current pop again (after a reconnect)

The server pings (not a timer in the page): background tabs throttle their timers, but a
message arriving on a socket still runs its handler, so a tab in the background keeps its seat
while a closed laptop stops answering and its seat lapses.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from agent_console.deps import principal_for_socket
from agent_console.events import PopService
from agent_console.heartbeats import Heartbeats
from agent_console.hub import Outbox
from agent_console.models import Role
from agent_console.pages import language_of
from agent_console.services import ConsoleServices

router = APIRouter(prefix="/ws", tags=["ws"])

log = logging.getLogger(__name__)


class _Connection:
    def __init__(self, websocket: WebSocket, outbox: Outbox) -> None:
        app = websocket.app
        self.socket, self.outbox = websocket, outbox
        self.services: ConsoleServices = app.state.services
        self.pops: PopService = app.state.pops
        self.heartbeats: Heartbeats = app.state.heartbeats

    async def _send(self, message: dict[str, object]) -> None:
        if message.get("type") == "seat":
            self.outbox.last_seat = message["seat"]  # type: ignore[assignment]
        await self.socket.send_text(json.dumps(message, ensure_ascii=False))

    async def send_loop(self) -> None:
        while True:
            message = await self.outbox.queue.get()
            if message.get("type") == "resync":
                self.outbox.stale = False
                agent_id, language = self.outbox.agent_id, self.outbox.language
                for state in await self.pops.state_messages_async(agent_id, language):
                    await self._send(state)
            else:
                await self._send(message)

    async def ping_loop(self) -> None:
        n = 0
        while True:
            n += 1
            self.outbox.put({"type": "ping", "n": n})
            await self.services.clock.sleep(self.services.options.ping_s)

    async def receive_loop(self) -> None:
        while True:
            try:
                message = json.loads(await self.socket.receive_text())
            except ValueError:
                continue  # not JSON: ignored (the protocol has no error message)
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "pong":  # written with the others' at the next tick (a changed seat too)
                self.heartbeats.heard(self.outbox.agent_id)
            elif kind == "resync":
                self.outbox.put({"type": "resync"})


@router.websocket("/agent")
async def agent_socket(websocket: WebSocket) -> None:
    services: ConsoleServices = websocket.app.state.services
    user = principal_for_socket(websocket, services)
    if user is None or user.role is not Role.AGENT or not user.agent_id:
        await websocket.close(code=1008)  # before accept: the handshake gets 403
        return
    await websocket.accept()
    outbox = services.hub.connect(user.agent_id, language_of(websocket))
    connection = _Connection(websocket, outbox)
    outbox.put({"type": "resync"})
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(connection.send_loop(), name=f"ws-{user.agent_id}-send")
            group.create_task(connection.ping_loop(), name=f"ws-{user.agent_id}-ping")
            await connection.receive_loop()
    except* WebSocketDisconnect:
        log.info("agent %s: socket closed", user.agent_id)
    except* Exception as group:  # a send on a socket the browser dropped: the same ending
        log.info("agent %s: socket ended: %r", user.agent_id, group.exceptions[0])
    finally:
        services.hub.disconnect(outbox)
        with contextlib.suppress(Exception):
            await websocket.close()
