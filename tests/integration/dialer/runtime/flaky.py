"""A simulated network whose link to the dialer can drop, as the AMI link to Asterisk does.

A real ``TelephonyPort`` in front of a ``SimulatedNetwork`` (a small real class, not a mock):
it relays the network's events through its own bounded fan-out and, like the AMI adapter
(issue 9), publishes ``LinkStatusChanged`` when the link goes down or comes back, loses the
events sent while it is down, and raises ``BackendUnavailable`` from every action meanwhile.
``restart()`` also forgets the queue's members, as an Asterisk restart does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from dialer.errors import ActionFailed, BackendUnavailable
from dialer.simulated import SimulatedNetwork
from dialer.telephony.events import LinkStatusChanged, PortEvent
from dialer.telephony.fanout import Fanout
from dialer.telephony.port import LiveCall, OriginateRequest, SpyMode
from renewals.clock import Clock


class FlakyLink:
    def __init__(self, net: SimulatedNetwork, *, clock: Clock, events_maxsize: int = 10_000):
        self.net, self._clock = net, clock
        self.fanout: Fanout[PortEvent] = Fanout(maxsize=events_maxsize)
        self.up = True
        self.refuse_originates = False  # "Asterisk is shutting down", link still up
        self.actions: list[tuple[str, str]] = []  # (action, agent or call id) while up
        self._members: set[str] = set()
        self._pump: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.net.start()
        source = self.net.events()
        self._pump = asyncio.create_task(self._relay(source), name="flaky-relay")

    async def _relay(self, source: AsyncIterator[PortEvent]) -> None:
        async for event in source:
            if self.up:  # events sent while the link is down never arrive
                self.fanout.publish(event)

    async def close(self) -> None:
        await self.net.close()
        if self._pump is not None:
            await self._pump
        self.fanout.close_all()

    def events(self) -> AsyncIterator[PortEvent]:
        return self.fanout.subscribe()

    # --- the link ---

    def drop(self) -> None:
        self.up = False
        self.fanout.publish(LinkStatusChanged(up=False, at=self._clock.now(), reason="EOF"))

    async def restart(self) -> None:
        """Asterisk came back empty: no queue members (its calls went on, in this model)."""
        for agent in sorted(self._members):
            with contextlib.suppress(ActionFailed):  # already gone
                await self.net.remove_seat(agent, queue="renewals")
        self._members.clear()

    def restore(self) -> None:
        self.up = True
        self.fanout.publish(LinkStatusChanged(up=True, at=self._clock.now()))

    def _check(self, action: str, target: str) -> None:
        if not self.up:
            raise BackendUnavailable("not connected")
        self.actions.append((action, target))

    # --- the port ---

    async def originate(self, request: OriginateRequest) -> None:
        self._check("Originate", request.call_id)
        if self.refuse_originates:
            raise BackendUnavailable("Asterisk is shutting down", call_id=request.call_id)
        await self.net.originate(request)

    async def hangup(self, call_id: str, *, cause: int = 16) -> None:
        self._check("Hangup", call_id)
        await self.net.hangup(call_id, cause=cause)

    async def route_to_agent(self, call_id: str, agent_id: str) -> None:
        self._check("Redirect", call_id)
        await self.net.route_to_agent(call_id, agent_id)

    async def add_seat(self, agent_id: str, *, queue: str, name: str = "") -> None:
        self._check("QueueAdd", agent_id)
        await self.net.add_seat(agent_id, queue=queue, name=name)
        self._members.add(agent_id)

    async def pause_seat(
        self, agent_id: str, *, queue: str, paused: bool, reason: str = ""
    ) -> None:
        self._check("QueuePause", agent_id)
        await self.net.pause_seat(agent_id, queue=queue, paused=paused, reason=reason)

    async def remove_seat(self, agent_id: str, *, queue: str) -> None:
        self._check("QueueRemove", agent_id)
        await self.net.remove_seat(agent_id, queue=queue)
        self._members.discard(agent_id)

    async def start_recording(self, call_id: str, *, path: str) -> None:
        self._check("MixMonitor", call_id)
        await self.net.start_recording(call_id, path=path)

    async def stop_recording(self, call_id: str) -> None:
        self._check("StopMixMonitor", call_id)
        await self.net.stop_recording(call_id)

    async def spy(self, call_id: str, *, supervisor: str, mode: SpyMode) -> None:
        self._check("ChanSpy", call_id)
        await self.net.spy(call_id, supervisor=supervisor, mode=mode)

    async def play(self, call_id: str, *, message: str) -> None:
        self._check("Playback", call_id)
        await self.net.play(call_id, message=message)

    async def live_calls(self) -> list[LiveCall]:
        self._check("CoreShowChannels", "")
        return await self.net.live_calls()
