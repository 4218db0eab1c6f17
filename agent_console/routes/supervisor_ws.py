"""The supervisor's websocket (``/ws/supervisor``): the floor, pushed as it changes.

Only a supervisor's or admin's valid session from a page of this host is accepted; anyone else
(an agent too) has the handshake refused with 403. Messages are JSON objects with a ``type``:

server → browser
  ``floor``  the whole floor (``dialer.floor.feed.floor_feed``): ``now``, ``seats``,
             ``campaigns``, ``link``, ``alerts``; sent on connect, then each time the bus
             changed the floor (at most every ``_MIN_GAP_S``), and at least every ``ping_s``
             (it doubles as the heartbeat)
browser → server
  anything   ignored (the socket is read only to see it close)

Sends wait on the floor's version, bumped by the bus's events: no timer reads the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from agent_console.deps import principal_for_socket
from agent_console.models import Role
from agent_console.services import ConsoleServices
from agent_console.supervisor_feed import SupervisorConsole

router = APIRouter(prefix="/ws", tags=["ws"])

log = logging.getLogger(__name__)

_MIN_GAP_S = 0.2  # a burst of events is sent as one snapshot, still well within a second
_ROLES = (Role.SUPERVISOR, Role.ADMIN)


async def _send_loop(websocket: WebSocket, console: SupervisorConsole, every_s: float) -> None:
    services: ConsoleServices = websocket.app.state.services
    while True:
        version = console.floor.version
        await websocket.send_text(json.dumps(console.message(), ensure_ascii=False))
        await services.clock.sleep(_MIN_GAP_S)
        await console.floor.changed(version, timeout_s=every_s)


async def _receive_loop(websocket: WebSocket) -> None:
    while True:
        await websocket.receive_text()


@router.websocket("/supervisor")
async def supervisor_socket(websocket: WebSocket) -> None:
    services: ConsoleServices = websocket.app.state.services
    user = principal_for_socket(websocket, services)
    if user is None or user.role not in _ROLES:
        await websocket.close(code=1008)  # before accept: the handshake gets 403
        return
    await websocket.accept()
    console: SupervisorConsole = websocket.app.state.supervisor
    try:
        async with asyncio.TaskGroup() as group:
            sending = _send_loop(websocket, console, services.options.ping_s)
            group.create_task(sending, name=f"ws-supervisor-{user.name}-send")
            await _receive_loop(websocket)
    except* WebSocketDisconnect:
        log.info("supervisor %s: socket closed", user.name)
    except* Exception as group:  # a send on a socket the browser dropped: the same ending
        log.info("supervisor %s: socket ended: %r", user.name, group.exceptions[0])
    finally:
        with contextlib.suppress(Exception):
            await websocket.close()
