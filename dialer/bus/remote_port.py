"""``RemotePort``: the telephony port of a campaign whose runtime runs in another process.

A console process builds its seat desks on it: each seat or call action is published as a
``PortCommand`` and awaited until the runtime's ``PortCommandServer`` answers (within
``timeout_s``), so an agent's "ready" in a browser on one machine pauses or unpauses the queue
member on the runtime's network, and an error (a refused ``QueueAdd``) still reaches the agent.
No runtime answering is ``BackendUnavailable``. Dialing (``originate``) and the list of live
calls belong to the runtime alone; ``events`` follows the port events the runtime publishes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator

from dialer.bus.catalog import PORT_EVENTS
from dialer.bus.commands import PortAction, PortCommand, PortCommandDone
from dialer.bus.events import BusResync
from dialer.bus.port import EventBus
from dialer.errors import (
    ActionFailed,
    ActionTimeout,
    BackendUnavailable,
    TelephonyError,
    UnknownCall,
)
from dialer.telephony.events import PortEvent
from dialer.telephony.port import LiveCall, OriginateRequest, SpyMode, TransferTarget
from renewals.clock import Clock

__all__ = ["RemotePort"]

log = logging.getLogger(__name__)

_ERRORS: dict[str, type[TelephonyError]] = {
    cls.__name__: cls for cls in (ActionFailed, ActionTimeout, BackendUnavailable, UnknownCall)
}


class RemotePort:
    """``TelephonyPort`` whose actions run on ``campaign_id``'s runtime, through the bus."""

    def __init__(
        self, *, bus: EventBus, campaign_id: str, clock: Clock, timeout_s: float = 5.0
    ) -> None:
        self._bus, self._campaign_id, self._clock = bus, campaign_id, clock
        self._timeout_s = timeout_s
        self._waiting: dict[str, asyncio.Future[PortCommandDone]] = {}
        self._replies: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Follow the runtimes' replies (subscribed before any command is published)."""
        if self._replies is None:
            replies = self._bus.subscribe(PortCommandDone)
            self._replies = asyncio.create_task(
                self._follow(replies), name=f"remote-port-{self._campaign_id}"
            )

    async def close(self) -> None:
        if self._replies is not None:
            self._replies.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._replies
        for waiting in self._waiting.values():
            waiting.cancel()

    async def _follow(self, replies: AsyncIterator[object]) -> None:
        async for reply in replies:
            if isinstance(reply, PortCommandDone):
                waiting = self._waiting.get(reply.command_id)
                if waiting is not None and not waiting.done():
                    waiting.set_result(reply)
            elif isinstance(reply, BusResync):
                log.info("remote port %s: bus resync (%s)", self._campaign_id, reply.reason)

    async def _ask(self, action: PortAction, **fields: str | bool | int) -> None:
        if self._replies is None:
            raise BackendUnavailable(f"remote port of campaign {self._campaign_id} not started")
        command = PortCommand(
            command_id=uuid.uuid4().hex,
            campaign_id=self._campaign_id,
            action=action,
            at=self._clock.now(),
            **fields,  # type: ignore[arg-type]  # the PortCommand fields, checked on construction
        )
        reply: asyncio.Future[PortCommandDone] = asyncio.get_running_loop().create_future()
        self._waiting[command.command_id] = reply
        try:
            await self._bus.publish(command)  # BusUnavailable (a DialerError) if Redis is down
            async with asyncio.timeout(self._timeout_s):
                done = await reply
        except TimeoutError:
            raise BackendUnavailable(
                f"no runtime of campaign {self._campaign_id} answered {action.value} "
                f"within {self._timeout_s:g} s (is `xubao dialer run` running?)",
                call_id=command.call_id,
            ) from None
        finally:
            del self._waiting[command.command_id]
        if done.error:
            raise _ERRORS.get(done.error, TelephonyError)(done.message, call_id=command.call_id)

    # --- the port ---------------------------------------------------------------------------

    def events(self) -> AsyncIterator[PortEvent]:
        return self._port_events(self._bus.subscribe(*PORT_EVENTS))

    @staticmethod
    async def _port_events(source: AsyncIterator[object]) -> AsyncIterator[PortEvent]:
        async for event in source:
            if not isinstance(event, BusResync):
                yield event  # type: ignore[misc]  # one of PORT_EVENTS, by the subscription

    async def originate(self, request: OriginateRequest) -> None:
        raise BackendUnavailable(
            f"campaign {self._campaign_id} dials in its runtime process", call_id=request.call_id
        )

    async def live_calls(self) -> list[LiveCall]:
        raise BackendUnavailable(f"campaign {self._campaign_id}'s calls are in its runtime")

    async def hangup(self, call_id: str, *, cause: int = 16) -> None:
        await self._ask(PortAction.HANGUP, call_id=call_id, cause=cause)

    async def route_to_agent(self, call_id: str, agent_id: str) -> None:
        await self._ask(PortAction.ROUTE_TO_AGENT, call_id=call_id, agent_id=agent_id)

    async def add_seat(self, agent_id: str, *, queue: str, name: str = "") -> None:
        await self._ask(PortAction.ADD_SEAT, agent_id=agent_id, queue=queue, name=name)

    async def pause_seat(
        self, agent_id: str, *, queue: str, paused: bool, reason: str = ""
    ) -> None:
        await self._ask(
            PortAction.PAUSE_SEAT, agent_id=agent_id, queue=queue, paused=paused, reason=reason
        )

    async def remove_seat(self, agent_id: str, *, queue: str) -> None:
        await self._ask(PortAction.REMOVE_SEAT, agent_id=agent_id, queue=queue)

    async def start_recording(self, call_id: str, *, path: str) -> None:
        await self._ask(PortAction.START_RECORDING, call_id=call_id, path=path)

    async def stop_recording(self, call_id: str) -> None:
        await self._ask(PortAction.STOP_RECORDING, call_id=call_id)

    async def spy(self, call_id: str, *, supervisor: str, mode: SpyMode) -> None:
        await self._ask(PortAction.SPY, call_id=call_id, supervisor=supervisor, mode=mode.value)

    async def play(self, call_id: str, *, message: str) -> None:
        await self._ask(PortAction.PLAY, call_id=call_id, message=message)

    # --- call controls ---------------------------------------------------------------------

    async def hold(self, call_id: str, *, held: bool) -> None:
        await self._ask(PortAction.HOLD, call_id=call_id, held=held)

    async def mute(self, call_id: str, *, muted: bool) -> None:
        await self._ask(PortAction.MUTE, call_id=call_id, muted=muted)

    async def transfer(self, call_id: str, target: TransferTarget) -> None:
        await self._ask(
            PortAction.TRANSFER, call_id=call_id, target_kind=target.kind.value,
            target_id=target.id,
        )  # fmt: skip

    async def start_consult(self, call_id: str, target: TransferTarget) -> None:
        await self._ask(
            PortAction.START_CONSULT, call_id=call_id, target_kind=target.kind.value,
            target_id=target.id,
        )  # fmt: skip

    async def complete_consult(self, call_id: str) -> None:
        await self._ask(PortAction.COMPLETE_CONSULT, call_id=call_id)

    async def cancel_consult(self, call_id: str) -> None:
        await self._ask(PortAction.CANCEL_CONSULT, call_id=call_id)

    async def pause_recording(self, call_id: str, *, paused: bool) -> None:
        await self._ask(PortAction.PAUSE_RECORDING, call_id=call_id, paused=paused)
