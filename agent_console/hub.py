"""Agents' open websockets in this process, and what each is owed.

Each socket has an ``Outbox``: a bounded queue its own sender task drains, so one slow browser
never holds up the bus consumer or the other agents. An outbox that overflows drops what is
queued and asks its socket for a full resync instead (the screen is redrawn from the database).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

__all__ = ["AgentHub", "Outbox"]

log = logging.getLogger(__name__)

OUTBOX_SIZE = 100


@dataclass(eq=False, slots=True)
class Outbox:
    agent_id: str
    language: str
    queue: asyncio.Queue[dict[str, object]] = field(
        default_factory=lambda: asyncio.Queue(maxsize=OUTBOX_SIZE)
    )
    stale: bool = False  # messages were lost: the sender resyncs before sending more
    last_seat: dict[str, object] | None = None  # the seat as this socket last showed it

    def put(self, message: dict[str, object]) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            log.warning("agent %s: socket fell behind; it will resync", self.agent_id)
            while not self.queue.empty():
                self.queue.get_nowait()
            self.stale = True
            self.queue.put_nowait({"type": "resync"})


class AgentHub:
    """Sockets by agent id; ``calls`` remembers which agent each popped call went to."""

    def __init__(self) -> None:
        self._sockets: dict[str, set[Outbox]] = {}
        self.calls: dict[str, str] = {}

    def connect(self, agent_id: str, language: str) -> Outbox:
        outbox = Outbox(agent_id, language)
        self._sockets.setdefault(agent_id, set()).add(outbox)
        return outbox

    def disconnect(self, outbox: Outbox) -> None:
        sockets = self._sockets.get(outbox.agent_id)
        if sockets is not None:
            sockets.discard(outbox)
            if not sockets:
                del self._sockets[outbox.agent_id]

    def has(self, agent_id: str) -> bool:
        return agent_id in self._sockets

    def agents(self) -> list[str]:
        return list(self._sockets)

    def languages(self, agent_id: str) -> set[str]:
        return {o.language for o in self._sockets.get(agent_id, ())}

    def all_languages(self) -> set[str]:
        """The languages of every socket of this process (the cards worth preparing)."""
        return {o.language for sockets in self._sockets.values() for o in sockets}

    def outboxes(self, agent_id: str) -> list[Outbox]:
        return list(self._sockets.get(agent_id, ()))

    def send(self, agent_id: str, message: dict[str, object], language: str | None = None) -> None:
        """Queue ``message`` for the agent's sockets (only those in ``language`` if given)."""
        for outbox in self._sockets.get(agent_id, ()):
            if language is None or outbox.language == language:
                outbox.put(message)
