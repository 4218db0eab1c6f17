"""The driver port over ARI: one :class:`AriCall` per channel in our Stasis app.

The app (:mod:`ivr.ari.app`) routes each channel's events into its call's queue. Facts from the
captures: ARI never stops a playback on a key (03), so a menu's barge-in deletes it; a stopped
playback still finishes ``done``; an event may come before the HTTP answer of the request that
caused it (02, 06), so everything is matched by id, never by order; the real hangup cause is on
ChannelDestroyed, not ChannelHangupRequest (03).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Sequence

from ivr.ari.events import (
    AriEvent,
    ChannelDestroyed,
    ChannelDtmf,
    ChannelGone,
    PlaybackFinished,
    StasisEnd,
)
from ivr.ari.rest import AriRest
from ivr.errors import AriNotFound, SessionEnded
from ivr.port import Destination

__all__ = ["TRANSFER_CONTEXT", "AriCall"]

log = logging.getLogger(__name__)

# The dialplan context a transferred call continues in (config/asterisk/extensions.conf):
# extension seat-<seat> or queue-<queue name> ("agent-" would not do: a pattern's n is 2-9).
TRANSFER_CONTEXT = "xubao-ivr-transfer"


class AriCall:
    def __init__(
        self, *, channel_id: str, rest: AriRest, playback_timeout_s: float = 120.0
    ) -> None:
        self.channel_id = channel_id
        self._rest = rest
        self._playback_timeout_s = playback_timeout_s
        self.events: asyncio.Queue[AriEvent] = asyncio.Queue()
        self._typed_ahead: deque[str] = deque()
        self._plays: dict[str, int] = {}
        self.ended = False
        self.hangup_cause: int | None = None

    def _ends(self, event: AriEvent) -> bool:
        if isinstance(event, ChannelDestroyed):
            self.hangup_cause = event.cause
        if isinstance(event, StasisEnd | ChannelDestroyed | ChannelGone):
            self.ended = True
        return self.ended

    async def _next(self, timeout_s: float) -> AriEvent | None:
        if self.ended:
            raise SessionEnded(self.channel_id)
        try:
            event = await asyncio.wait_for(self.events.get(), timeout_s)
        except TimeoutError:
            return None
        if self._ends(event):
            raise SessionEnded(self.channel_id)
        return event

    def _playback_id(self, node: str) -> str:
        # Ids we choose (…/play/{id}) so PlaybackFinished is matched by id: pb-<channel>-<node>,
        # then -2, -3 … when a menu is said again.
        n = self._plays[node] = self._plays.get(node, 0) + 1
        return f"pb-{self.channel_id}-{node}" + (f"-{n}" if n > 1 else "")

    async def play(
        self, prompts: Sequence[str], *, language: str, barge_in: bool, node: str
    ) -> str:
        if not prompts:
            return ""
        playback_id = self._playback_id(node)
        media = [f"sound:{p}" for p in prompts]
        try:
            await self._rest.play(self.channel_id, media, playback_id=playback_id, lang=language)
        except AriNotFound as exc:  # the channel went between its last event and now
            raise SessionEnded(self.channel_id) from exc
        while True:
            event = await self._next(self._playback_timeout_s)
            if event is None:
                log.warning("playback %s never finished; going on", playback_id)
                return ""
            if isinstance(event, PlaybackFinished) and event.playback.id == playback_id:
                if event.playback.state == "failed":
                    log.error("playback %s failed: a prompt file is missing", playback_id)
                return ""
            if isinstance(event, ChannelDtmf):
                if not barge_in:
                    self._typed_ahead.append(event.digit)
                    continue
                await self._stop(playback_id)
                return event.digit

    async def _stop(self, playback_id: str) -> None:
        with contextlib.suppress(AriNotFound):  # it finished on its own meanwhile
            await self._rest.stop_playback(playback_id)

    async def read_digit(self, *, timeout_s: float) -> str:
        if self._typed_ahead:
            return self._typed_ahead.popleft()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while (left := deadline - loop.time()) > 0:
            event = await self._next(left)
            if isinstance(event, ChannelDtmf):
                return event.digit
        return ""

    async def transfer(self, destination: Destination) -> None:
        prefix = "seat" if destination.kind == "agent" else "queue"
        extension = f"{prefix}-{destination.name}"
        try:
            await self._rest.continue_in_dialplan(
                self.channel_id, context=TRANSFER_CONTEXT, extension=extension, priority=1
            )
        except AriNotFound as exc:
            raise SessionEnded(self.channel_id) from exc

    async def hangup(self) -> None:
        if self.ended:
            return
        with contextlib.suppress(AriNotFound):  # already gone
            await self._rest.hangup(self.channel_id, reason_code=16)
