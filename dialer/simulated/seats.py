"""Agent seats of the simulated network: queue membership, pause, and who takes which call.

An answered human call waits for a seat of its queue that is a member, unpaused and not on a
call; among those the one idle longest takes it (Asterisk's ``leastrecent``), ties by agent id.
Waiting calls are served first come, first served. A call pinned to an agent (preview,
``route_to_agent``) waits for that seat only, paused or not: preview agents are paused in the
queue precisely so that it sends them nothing else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from dialer.errors import ActionFailed
from dialer.telephony.events import SeatStatusChanged
from renewals.clock import Clock

__all__ = ["SeatPool"]

logger = logging.getLogger(__name__)

IDLE, IN_USE, UNAVAILABLE = "idle", "in_use", "unavailable"


@dataclass(slots=True)
class _Seat:
    agent_id: str
    name: str
    idle_since: float
    queues: dict[str, bool] = field(default_factory=dict)  # queue -> paused
    call_id: str = ""

    @property
    def paused(self) -> bool:
        return bool(self.queues) and all(self.queues.values())


@dataclass(slots=True)
class _Waiter:
    call_id: str
    queue: str
    agent_id: str
    future: asyncio.Future[str]


class SeatPool:
    """The seats, and the answered calls waiting for one."""

    def __init__(self, *, clock: Clock, publish: Callable[[SeatStatusChanged], None]) -> None:
        self._clock = clock
        self._publish = publish
        self._seats: dict[str, _Seat] = {}
        self._waiters: list[_Waiter] = []

    def _notify(self, seat: _Seat, status: str) -> None:
        self._publish(
            SeatStatusChanged(
                agent_id=seat.agent_id, at=self._clock.now(), status=status, paused=seat.paused
            )
        )

    def _status(self, seat: _Seat) -> str:
        return IN_USE if seat.call_id else IDLE

    def _member(self, agent_id: str, queue: str) -> _Seat:
        seat = self._seats.get(agent_id)
        if seat is None or queue not in seat.queues:
            raise ActionFailed(f"{agent_id} is not a member of queue {queue}")
        return seat

    def add(self, agent_id: str, *, queue: str, name: str = "") -> None:
        """Add the seat to the queue; ``ActionFailed`` if already there (like Asterisk, 05)."""
        seat = self._seats.get(agent_id)
        if seat is None:
            seat = self._seats[agent_id] = _Seat(agent_id, name, self._clock.monotonic())
        elif queue in seat.queues:
            raise ActionFailed(f"Unable to add interface: Already there ({agent_id} in {queue})")
        seat.queues[queue] = False
        self._notify(seat, self._status(seat))
        self._dispatch()

    def pause(self, agent_id: str, *, queue: str, paused: bool, reason: str = "") -> None:
        seat = self._member(agent_id, queue)
        if seat.queues[queue] is not paused:
            seat.queues[queue] = paused
            logger.info("seat %s paused=%s in %s (%s)", agent_id, paused, queue, reason)
            self._notify(seat, self._status(seat))
            self._dispatch()

    def remove(self, agent_id: str, *, queue: str) -> None:
        """Leave the queue; a call in progress goes on, the seat disappears after it."""
        seat = self._member(agent_id, queue)
        del seat.queues[queue]
        if not seat.queues and not seat.call_id:
            del self._seats[agent_id]
            self._notify(seat, UNAVAILABLE)

    def ready(self, queue: str) -> list[str]:
        """Seats that would take a call of ``queue`` now, longest idle first."""
        seats = [s for s in self._seats.values() if self._takes(s, queue)]
        return [s.agent_id for s in sorted(seats, key=lambda s: (s.idle_since, s.agent_id))]

    def knows(self, agent_id: str) -> bool:
        return agent_id in self._seats

    @staticmethod
    def _takes(seat: _Seat, queue: str) -> bool:
        return not seat.call_id and queue in seat.queues and not seat.queues[queue]

    def wait(self, call_id: str, *, queue: str, agent_id: str = "") -> asyncio.Future[str]:
        """A future resolved with the agent id of the seat that takes the call."""
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiters.append(_Waiter(call_id, queue, agent_id, future))
        self._dispatch()
        return future

    def pin(self, call_id: str, agent_id: str) -> bool:
        """Send a waiting call to ``agent_id`` only; False if the call is not waiting."""
        for waiter in self._waiters:
            if waiter.call_id == call_id:
                waiter.agent_id = agent_id
                self._dispatch()
                return True
        return False

    def give_up(self, call_id: str) -> None:
        """The call stops waiting (abandoned or hung up); a seat it already got is freed."""
        for waiter in [w for w in self._waiters if w.call_id == call_id]:
            self._waiters.remove(waiter)
            waiter.future.cancel()
        for seat in self._seats.values():
            if seat.call_id == call_id:
                self.release(seat.agent_id)
                return

    def release(self, agent_id: str) -> None:
        """The seat's call ended: it is idle from now (and gone if it left every queue)."""
        seat = self._seats.get(agent_id)
        if seat is None or not seat.call_id:
            return
        seat.call_id, seat.idle_since = "", self._clock.monotonic()
        if not seat.queues:
            del self._seats[agent_id]
            self._notify(seat, UNAVAILABLE)
            return
        self._notify(seat, IDLE)
        self._dispatch()

    def _dispatch(self) -> None:
        for waiter in list(self._waiters):
            agent_id = self._pick(waiter)
            if agent_id:
                self._waiters.remove(waiter)
                seat = self._seats[agent_id]
                seat.call_id = waiter.call_id
                self._notify(seat, IN_USE)
                waiter.future.set_result(agent_id)

    def _pick(self, waiter: _Waiter) -> str:
        if waiter.agent_id:
            seat = self._seats.get(waiter.agent_id)
            return seat.agent_id if seat is not None and not seat.call_id else ""
        ready = self.ready(waiter.queue)
        return ready[0] if ready else ""
