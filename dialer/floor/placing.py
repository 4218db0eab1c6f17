"""A telephony port that announces each call it places (``CallPlaced``), for the floor's counts.

The port's own events start at ringing; the floor also counts lines still dialing, and needs
each call's campaign. Wrapping the port (rather than changing the runtime) keeps one place
where calls are placed; the composition root wraps the port the runtime gets.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from dialer.floor.events import CallPlaced
from dialer.telephony.events import PortEvent
from dialer.telephony.port import (
    LiveCall,
    OriginateRequest,
    SpyMode,
    TelephonyPort,
    TransferTarget,
)
from renewals.clock import Clock
from renewals.phones import mask_phone

__all__ = ["AnnouncingPort"]


class AnnouncingPort:
    """``TelephonyPort`` that posts ``CallPlaced`` before each originate, else delegates."""

    def __init__(
        self, *, port: TelephonyPort, post: Callable[[object], None], clock: Clock
    ) -> None:
        self._port, self._post, self._clock = port, post, clock

    async def originate(self, request: OriginateRequest) -> None:
        # Before the originate: its first events (ringing) must find the call already placed.
        self._post(
            CallPlaced(
                call_id=request.call_id, campaign_id=request.campaign_id,
                lead_id=request.lead_id, number_masked=mask_phone(request.number),
                at=self._clock.now(), agent_id=request.agent_id,
            )
        )  # fmt: skip
        await self._port.originate(request)

    async def start(self) -> None:
        await self._port.start()

    async def close(self) -> None:
        await self._port.close()

    def events(self) -> AsyncIterator[PortEvent]:
        return self._port.events()

    async def hangup(self, call_id: str, *, cause: int = 16) -> None:
        await self._port.hangup(call_id, cause=cause)

    async def route_to_agent(self, call_id: str, agent_id: str) -> None:
        await self._port.route_to_agent(call_id, agent_id)

    async def add_seat(self, agent_id: str, *, queue: str, name: str = "") -> None:
        await self._port.add_seat(agent_id, queue=queue, name=name)

    async def pause_seat(
        self, agent_id: str, *, queue: str, paused: bool, reason: str = ""
    ) -> None:
        await self._port.pause_seat(agent_id, queue=queue, paused=paused, reason=reason)

    async def remove_seat(self, agent_id: str, *, queue: str) -> None:
        await self._port.remove_seat(agent_id, queue=queue)

    async def start_recording(self, call_id: str, *, path: str) -> None:
        await self._port.start_recording(call_id, path=path)

    async def stop_recording(self, call_id: str) -> None:
        await self._port.stop_recording(call_id)

    async def spy(self, call_id: str, *, supervisor: str, mode: SpyMode) -> None:
        await self._port.spy(call_id, supervisor=supervisor, mode=mode)

    async def play(self, call_id: str, *, message: str) -> None:
        await self._port.play(call_id, message=message)

    async def live_calls(self) -> list[LiveCall]:
        return await self._port.live_calls()

    # Call controls (issue 11): plain delegation.
    async def hold(self, call_id: str, *, held: bool) -> None:
        await self._port.hold(call_id, held=held)

    async def mute(self, call_id: str, *, muted: bool) -> None:
        await self._port.mute(call_id, muted=muted)

    async def transfer(self, call_id: str, target: TransferTarget) -> None:
        await self._port.transfer(call_id, target)

    async def start_consult(self, call_id: str, target: TransferTarget) -> None:
        await self._port.start_consult(call_id, target)

    async def complete_consult(self, call_id: str) -> None:
        await self._port.complete_consult(call_id)

    async def cancel_consult(self, call_id: str) -> None:
        await self._port.cancel_consult(call_id)

    async def pause_recording(self, call_id: str, *, paused: bool) -> None:
        await self._port.pause_recording(call_id, paused=paused)
