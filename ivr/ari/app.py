"""The Stasis application: each channel entering ``Stasis(xubao-ivr, …)`` runs a flow.

``appArgs`` say which: ``inbound,<dialled number>`` (the dialplan's [xubao-inbound]) runs the
inbound callback flow for the caller; ``reminder,<lead id>,<call id>`` (our own originate) runs
the reminder flow for that lead. A channel the re-sync finds in Stasis with no session here
(we restarted, or it entered while the socket was down) is finished: it hears an apology and
is hung up, and the call is stored, so no customer is left in silence and no call is lost.
The engine announces each session's start and end on the bus, if it was given one; a
recovered channel's end too (the floor may still count it from before the restart).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Protocol

from ivr.ari.client import AriClient
from ivr.ari.driver import AriCall
from ivr.ari.events import (
    AriEvent,
    ChannelDestroyed,
    ChannelDtmf,
    ChannelGone,
    ChannelHangupRequest,
    ChannelRecovered,
    ChannelVarset,
    PlaybackFinished,
    PlaybackStarted,
    StasisEnd,
    StasisStart,
)
from ivr.ari.model import Channel
from ivr.engine import FlowEngine, SessionResult
from ivr.errors import IvrError, SessionEnded
from ivr.port import CallContext
from renewals.clock import Clock

__all__ = ["AriIvr", "ContextSource", "Recorder"]

log = logging.getLogger(__name__)

RECOVERED_PROMPT = "xubao/recovered"


class ContextSource(Protocol):
    async def open(self, channel: Channel, args: tuple[str, ...]) -> tuple[str, CallContext]:
        """The flow to run and what it knows, for a channel and its ``appArgs``."""
        ...


class Recorder(Protocol):
    async def __call__(
        self, ctx: CallContext, result: SessionResult, *, started_at: datetime, at: datetime
    ) -> None: ...


def _channel_of(event: AriEvent) -> str:
    if isinstance(event, PlaybackStarted | PlaybackFinished):
        return event.playback.channel_id
    if isinstance(event, ChannelGone):
        return event.channel_id
    if isinstance(event, ChannelDtmf | StasisEnd | ChannelDestroyed | ChannelHangupRequest):
        return event.channel.id
    if isinstance(event, ChannelVarset) and event.channel is not None:
        return event.channel.id
    return ""


class AriIvr:
    def __init__(
        self,
        *,
        client: AriClient,
        engine: FlowEngine,
        contexts: ContextSource,
        recorder: Recorder,
        clock: Clock,
        recovered_prompt: str | None = RECOVERED_PROMPT,
    ) -> None:
        self._client = client
        self._recovered_prompt = recovered_prompt
        self._engine = engine
        self._contexts = contexts
        self._recorder = recorder
        self._clock = clock
        self.calls: dict[str, AriCall] = {}

    async def run(self) -> None:
        """Until cancelled (or the client stops: bad credentials, app taken over)."""
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(self._client.run(), name="ari-events")
            while True:
                event = await self._client.events.get()
                if isinstance(event, StasisStart | ChannelRecovered):
                    if event.channel.id in self.calls:
                        continue
                    call = AriCall(channel_id=event.channel.id, rest=self._client.rest)
                    self.calls[call.channel_id] = call
                    recovered = isinstance(event, ChannelRecovered)
                    tasks.create_task(
                        self._serve(call, event.channel, event.args, recovered=recovered),
                        name=f"ivr-{call.channel_id}",
                    )
                    continue
                target = self.calls.get(_channel_of(event))
                if target is not None:
                    target.events.put_nowait(event)

    async def _serve(
        self, call: AriCall, channel: Channel, args: tuple[str, ...], *, recovered: bool
    ) -> None:
        started_at = self._clock.now()
        try:
            flow_id, ctx = await self._contexts.open(channel, args)
            if recovered:
                result = await self._finish(call, ctx)
                await self._engine.announce_end(ctx, result)
            else:
                if channel.state != "Up":
                    await self._client.rest.answer(call.channel_id)
                result = await self._engine.run(flow_id, ctx, call)
            await self._recorder(ctx, result, started_at=started_at, at=self._clock.now())
        except (IvrError, ValueError) as exc:
            # A call we cannot serve (unknown lead, bad appArgs) is not left in silence.
            log.error("call %s: %s; hanging up", call.channel_id, exc)
            await self._hangup_quietly(call)
        except Exception:
            # One call's failure (say, the database away while storing it) must not end the
            # app and every other call with it.
            log.exception("call %s failed; hanging up", call.channel_id)
            await self._hangup_quietly(call)
        finally:
            self.calls.pop(call.channel_id, None)
            self._client.forget(call.channel_id)

    @staticmethod
    async def _hangup_quietly(call: AriCall) -> None:
        try:
            await call.hangup()
        except IvrError as exc:  # Asterisk unreachable too: the channel ends with it
            log.warning("call %s: hang-up failed: %s", call.channel_id, exc)

    async def _finish(self, call: AriCall, ctx: CallContext) -> SessionResult:
        result = SessionResult(flow_id="recovered", steps=["recovered"])
        try:
            if self._recovered_prompt:
                await call.play(
                    [self._recovered_prompt],
                    language=ctx.language,
                    barge_in=False,
                    node="recovered",
                )
            await call.hangup()
        except SessionEnded:
            result.caller_hung_up = True
        log.info("call %s found in Stasis after a reconnect: finished", call.channel_id)
        return result
