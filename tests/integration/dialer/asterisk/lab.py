"""Scenarios 06-09 (the project's own client on a real Asterisk) replayed through the adapter.

Those captures ran the lab dialplan: customers are ``Local/{number}@lab-customer``, seats
``Local/{agent}@lab-agents/n``, the queue ``renewal-2026q4``, the context ``xubao-dialer``
and ActionIDs ``xubao-N``. ``lab_port`` builds an ``AmiTelephony`` against a replay of one
scenario; the test then drives it with the same calls the captured client made.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from dialer.asterisk.adapter import AmiTelephony
from dialer.telephony.events import CallEvent, CallHungUp, PortEvent
from dialer.telephony.port import OriginateRequest
from tests.ami_transcripts import load
from tests.integration.dialer.asterisk.replay_server import (
    AmiReplayServer,
    ConnScript,
    ScriptedIds,
)
from tests.integration.dialer.asterisk.support import SteppingClock, collect_until, settings_for

__all__ = ["LAB_QUEUE", "LabRun", "TickingClock", "lab_port", "lab_request", "until_hung_up"]

LAB_QUEUE = "renewal-2026q4"
LAB_SECRET = "CHANGE-ME-xubao-ami-secret"  # the placeholder of config/asterisk/manager.conf


def lab_request(call_id: str, number: str, *, lead_id: str = "1") -> OriginateRequest:
    # CallerID is empty in every lab capture (the campaign had none: issue 9 item 11).
    return OriginateRequest(
        call_id=call_id,
        number=number,
        caller_id="",
        ring_timeout_s=15.0,
        queue=LAB_QUEUE,
        campaign_id="fx",
        lead_id=lead_id,
    )


@dataclass
class LabRun:
    port: AmiTelephony
    server: AmiReplayServer
    events: AsyncIterator[PortEvent]

    def sent(self, conn: int = 0) -> list[bytes]:
        return list(self.server.received(conn))


class TickingClock(SteppingClock):
    """Wall time that moves on 1 ms at every reading, as a real clock does between two."""

    def __init__(self) -> None:
        self._ticks = 0

    def now(self) -> datetime:
        self._ticks += 1
        return super().now() + timedelta(milliseconds=self._ticks)


@asynccontextmanager
async def lab_port(
    scenario: str,
    ids: list[str],
    *,
    scripts: list[ConnScript] | None = None,
    clock: SteppingClock | None = None,
    **settings: object,
) -> AsyncIterator[LabRun]:
    """A started adapter on a replay of ``scenario``'s c1; ``ids`` are its ActionIDs in order."""
    transcript = load(scenario)
    scripts = scripts or [ConnScript.from_transcript(transcript, "c1")]
    values: dict[str, object] = {
        "username": "xubao",
        "secret": LAB_SECRET,
        "customer_dial_template": "Local/{number}@lab-customer",
        "agent_interface_template": "Local/{agent}@lab-agents/n",
        "context": "xubao-dialer",
        "recording_root": "/var/spool/asterisk/xubao-recordings",
    }
    values.update(settings)
    async with AmiReplayServer(scripts=scripts) as server:
        port = AmiTelephony(
            settings=settings_for(server.port, **values),
            clock=clock or SteppingClock(),
            action_ids=ScriptedIds(ids),
        )
        events = port.events()
        await port.start()
        try:
            yield LabRun(port=port, server=server, events=events)
        finally:
            await port.close()


async def until_hung_up(events: AsyncIterator[PortEvent], call_ids: set[str]) -> list[PortEvent]:
    """Every event until each of ``call_ids`` has had its ``CallHungUp``."""
    left = set(call_ids)
    seen: list[PortEvent] = []

    def done(event: object) -> bool:
        if isinstance(event, CallHungUp):
            left.discard(event.call_id)
        return not left

    while left:
        seen += await collect_until(events, done)  # type: ignore[arg-type]
    return seen


def for_call(events: list[PortEvent], call_id: str) -> list[CallEvent]:
    return [e for e in events if isinstance(e, CallEvent) and e.call_id == call_id]
