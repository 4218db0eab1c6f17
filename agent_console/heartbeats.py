"""Seat heartbeats from the agents' sockets, written once a tick for every seat of the process.

Each browser answers the server's ping (every ``ping_s``); 200 agents are 100 pongs a second.
Writing each one (a transaction) and re-reading its seat on the event loop held up the
screen-pops, so a pong is only noted here; every ``tick_s`` one UPDATE renews all the noted
seats and one SELECT reads them back, in a worker thread. A seat that changed since its
socket last showed it (a change the bus did not bring, e.g. while it resynced) is sent.
The runtime counts a seat heard within ``seat_lapse_s`` (6 s), so a tick of 1 s is slack.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker

from agent_console.hub import AgentHub
from agent_console.seat import SeatService, seat_message
from dialer.seats import renew_heard
from renewals.clock import Clock

__all__ = ["Heartbeats", "differs"]

log = logging.getLogger(__name__)


class Heartbeats:
    """Pongs noted per agent, flushed by ``run`` every ``tick_s`` seconds."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        clock: Clock,
        seats: SeatService,
        hub: AgentHub,
        tick_s: float = 1.0,
    ) -> None:
        self._sessions, self._clock, self._seats, self._hub = sessions, clock, seats, hub
        self._tick_s = tick_s
        self._heard: set[str] = set()

    def heard(self, agent_id: str) -> None:
        """The agent's browser answered a ping (written at the next tick)."""
        self._heard.add(agent_id)

    async def run(self) -> None:
        """Flush every tick until cancelled; a failed write is logged and retried next tick."""
        while True:
            await self._clock.sleep(self._tick_s)
            try:
                await self.flush()
            except Exception:
                log.exception("seat heartbeats not written; next tick retries")

    async def flush(self) -> None:
        agent_ids, self._heard = self._heard, set()
        if not agent_ids:
            return
        try:
            views = await asyncio.to_thread(self._write, agent_ids)
        except BaseException:
            self._heard |= agent_ids  # not written: the next tick writes them
            raise
        for agent_id, view in views.items():
            for outbox in self._hub.outboxes(agent_id):
                if differs(view, outbox.last_seat):
                    outbox.put(seat_message(view))

    def _write(self, agent_ids: set[str]) -> dict[str, dict[str, object]]:
        with self._sessions.begin() as session:
            renew_heard(session, agent_ids, at=self._clock.now())
        return self._seats.views(agent_ids)


def differs(seat: dict[str, object], last: dict[str, object] | None) -> bool:
    """The seat is not what the socket shows (its server clock ``now`` aside)."""
    if last is None:
        return True
    return any(seat.get(k) != last.get(k) for k in seat.keys() | last.keys() if k != "now")
