"""What the IVR tells the rest of the contact centre: a call entered the voice menus, and left.

``IvrCallStarted`` / ``IvrCallEnded`` (``dialer.floor.events``) go on the event bus the
composition root hands in, so supervisors' floors count the lines in the IVR. The bus is an
onlooker: a publish that fails or hangs (Redis away) is logged and dropped after ``timeout_s``
seconds, and the caller's session goes on as if nothing happened. A lost end is not kept for
later: the floor drops a session that never ended once it is stale.
"""

from __future__ import annotations

import asyncio
import logging

from dialer.bus.port import EventBus
from dialer.floor.events import IvrCallEnded, IvrCallStarted, IvrDirection
from ivr.port import CallContext
from renewals.clock import Clock

__all__ = ["FAILED", "IvrNotifier"]

log = logging.getLogger(__name__)

FAILED = "failed"  # IvrCallEnded.outcome of a session that broke off on an error


class IvrNotifier:
    """Publishes a session's start and end on ``bus``; with no bus it does nothing."""

    def __init__(self, *, bus: EventBus | None, clock: Clock, timeout_s: float = 1.0) -> None:
        self._bus, self._clock, self._timeout_s = bus, clock, timeout_s

    async def started(self, ctx: CallContext, flow_id: str) -> None:
        direction = IvrDirection.REMINDER if ctx.kind == "reminder" else IvrDirection.INBOUND
        await self._publish(
            IvrCallStarted(
                call_id=ctx.call_id, at=self._clock.now(), flow=flow_id, direction=direction,
                lead_id=ctx.lead_id,
            )
        )  # fmt: skip

    async def ended(
        self, ctx: CallContext, *, outcome: str, transfer_to: str = "", caller_hung_up: bool
    ) -> None:
        await self._publish(
            IvrCallEnded(
                call_id=ctx.call_id, at=self._clock.now(), outcome=outcome,
                transfer_to=transfer_to, caller_hung_up=caller_hung_up,
            )
        )  # fmt: skip

    async def _publish(self, event: IvrCallStarted | IvrCallEnded) -> None:
        if self._bus is None:
            return
        try:
            async with asyncio.timeout(self._timeout_s):
                await self._bus.publish(event)
        except TimeoutError:
            log.warning(
                "call %s: %s not published within %.1f s; the session goes on",
                event.call_id, type(event).__name__, self._timeout_s,
            )  # fmt: skip
        except Exception as exc:  # the bus's failure is never the caller's
            log.warning(
                "call %s: %s not published (%s); the session goes on",
                event.call_id, type(event).__name__, exc,
            )  # fmt: skip
