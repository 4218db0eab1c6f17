"""Simulated agents: bots that log in, take the calls the network bridges to them, wrap up for
a drawn time, set a disposition and become ready again. Like a console, they send the seat
desk a heartbeat (three per lapse time) while they run, and log out when asked to stop, so a
team that is stopped or killed never stays counted as ready.

They act only through the same doors a human agent uses (the seat desk and the disposition
callback the composition root wires to the renewals service), so a demo or a pacing study with
bots exercises the production paths.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dialer.errors import DialerError, EventQueueOverflow, SeatTransitionNotAllowed
from dialer.seats import SeatDesk
from dialer.simulated.profile import Lognormal
from dialer.telephony.events import CallBridged, CallHungUp, PortEvent
from renewals.clock import Clock

__all__ = ["AgentBots", "BotDisposition", "DispositionMix"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BotDisposition:
    """What a bot decided the conversation came to (``kind`` as in ``DispositionKind`` values)."""

    call_id: str
    agent_id: str
    kind: str
    decline_reason: str | None = None
    callback_at: datetime | None = None
    premium_factor: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class DispositionMix:
    """Shares of each disposition; the rest is ``no_decision``."""

    agreed: float = 0.25
    declined: float = 0.25
    callback: float = 0.20
    wrong_number: float = 0.03
    do_not_call: float = 0.02

    def draw(self, rng: random.Random, call_id: str, agent_id: str, at: datetime) -> BotDisposition:
        x = rng.random()
        for kind, share in (
            ("agreed", self.agreed),
            ("declined", self.declined),
            ("callback", self.callback),
            ("wrong_number", self.wrong_number),
            ("do_not_call", self.do_not_call),
        ):
            if x < share:
                return self._detail(rng, call_id, agent_id, kind, at)
            x -= share
        return BotDisposition(call_id, agent_id, "no_decision")

    @staticmethod
    def _detail(
        rng: random.Random, call_id: str, agent_id: str, kind: str, at: datetime
    ) -> BotDisposition:
        if kind == "declined":
            reason = rng.choices(["price", "service", "product", "other"], [5, 2, 2, 1])[0]
            return BotDisposition(call_id, agent_id, kind, decline_reason=reason)
        if kind == "callback":
            later = at + timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 4))
            return BotDisposition(call_id, agent_id, kind, callback_at=later)
        if kind == "agreed":
            return BotDisposition(call_id, agent_id, kind, premium_factor=rng.uniform(0.9, 1.05))
        return BotDisposition(call_id, agent_id, kind)


class AgentBots:
    """A team of bots on one campaign's seat desk; ``run()`` until cancelled."""

    def __init__(
        self,
        *,
        agent_ids: Sequence[str],
        desk: SeatDesk,
        clock: Clock,
        wrap: Lognormal,
        seed: int,
        dispose: Callable[[BotDisposition], Awaitable[None]],
        mix: DispositionMix | None = None,
    ) -> None:
        self._agents = frozenset(agent_ids)
        self._desk, self._clock, self._wrap = desk, clock, wrap
        self._rng = random.Random(seed)
        self._dispose = dispose
        self._mix = mix or DispositionMix()
        self._agent_of: dict[str, str] = {}
        self.dispositions = 0

    async def login_all(self) -> None:
        for agent_id in sorted(self._agents):
            await self._desk.login(agent_id, name=f"坐席{agent_id}")

    async def logout_all(self) -> None:
        """Log every bot out (a bot still on a call stays; its seat lapses after the call)."""
        for agent_id in sorted(self._agents):
            try:
                await self._desk.logout(agent_id)
            except DialerError as exc:
                log.warning("bot %s: could not log out: %s", agent_id, exc)

    async def _heartbeat(self) -> None:
        every_s = self._desk.lapse_s / 3
        while True:
            await self._clock.sleep(every_s)
            for agent_id in self._desk.heard(*sorted(self._agents)):
                log.warning("bot %s: its seat lapsed; logging in again", agent_id)
                try:
                    await self._desk.login(agent_id, name=f"坐席{agent_id}")
                except DialerError as exc:  # the stored seat is back; the queue may lag
                    log.warning("bot %s: queue not rejoined: %s", agent_id, exc)

    async def run(
        self,
        events: AsyncIterator[PortEvent],
        *,
        resubscribe: Callable[[], AsyncIterator[PortEvent]] | None = None,
    ) -> None:
        """Follow the network's events, keep the seats alive; wrap-ups are tasks of the group.

        With ``resubscribe``, a subscription that overflowed is replaced by a new one (calls
        whose end was lost meanwhile are wrapped up by the campaign's wrap-up limit).
        """
        async with asyncio.TaskGroup() as group:
            heartbeat = group.create_task(self._heartbeat(), name="bots-heartbeat")
            while True:
                try:
                    await self._follow(events, group)
                    break
                except EventQueueOverflow:
                    if resubscribe is None:
                        raise
                    log.error("bots: event queue overflowed; subscribing again")
                    events = resubscribe()
            heartbeat.cancel()  # the network closed: nothing left to be alive for

    async def _follow(self, events: AsyncIterator[PortEvent], group: asyncio.TaskGroup) -> None:
        async for event in events:
            if isinstance(event, CallBridged) and event.agent_id in self._agents:
                self._agent_of[event.call_id] = event.agent_id
            elif isinstance(event, CallHungUp) and event.call_id in self._agent_of:
                agent = self._agent_of.pop(event.call_id)
                group.create_task(
                    self._wrap_up(event.call_id, agent),
                    name=f"bot-{agent}-wrap-{event.call_id}",
                )

    async def _wrap_up(self, call_id: str, agent_id: str) -> None:
        await self._clock.sleep(self._wrap.sample(self._rng))
        choice = self._mix.draw(self._rng, call_id, agent_id, self._clock.now())
        try:
            await self._dispose(choice)
            self.dispositions += 1
        except Exception:  # a bad disposition must not stop the team; it is logged
            log.exception("bot %s: disposition of %s failed", agent_id, call_id)
        try:
            await self._desk.ready(agent_id)
        except SeatTransitionNotAllowed:
            # The queue already handed this seat its next call (it was bridged during wrap-up).
            log.info("bot %s: already on the next call", agent_id)
        except DialerError as exc:
            # The backend is away (issue 9, item 12): the seat is stored ready, and the queue
            # is re-built from the stored seats when the link is back.
            log.warning("bot %s: ready not sent to the backend: %s", agent_id, exc)
