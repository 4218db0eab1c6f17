"""Fixture scenarios driven through the real adapter, for tests and for the lead.

``await fixture_port_events("02")`` replays ``02-originate-queue-mixmonitor`` over loopback
TCP through ``AmiTelephony`` and returns the port events it published, so the event
sequence of a real Asterisk 22 call (answered 02, the failures of 03, ChanSpy 04) can be
compared with the simulated network's. ``call_shape`` reduces one call to comparable text.

    PYTHONPATH=. python -m tests.integration.dialer.asterisk.scenarios 02 03
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from dialer.asterisk.adapter import AmiTelephony
from dialer.asterisk.calls import PortEvent
from dialer.telephony.events import (
    CallBridged,
    CallBusy,
    CallEvent,
    CallFailed,
    CallHungUp,
    CallNoAnswer,
    SpyStarted,
)
from dialer.telephony.port import LiveCall, OriginateRequest, SpyMode
from tests.ami_transcripts import load
from tests.integration.dialer.asterisk.replay_server import (
    AmiReplayServer,
    ConnScript,
    ScriptedIds,
)
from tests.integration.dialer.asterisk.support import SteppingClock, collect_until, settings_for

__all__ = ["FAILURE_CALLS_03", "ScenarioRun", "call_shape", "fixture_port_events", "request"]

FAILURE_CALLS_03 = ["busy", "congestion", "noanswer", "rejected", "unallocated",
                    "no-such-exten", "no-such-tech"]  # fmt: skip


def request(call_id: str, number: str, *, ring_timeout_s: float = 30.0) -> OriginateRequest:
    return OriginateRequest(
        call_id=call_id,
        number=number,
        caller_id='"Campaign 42" <5550100>',
        ring_timeout_s=ring_timeout_s,
        queue="sales",
        campaign_id="42",
        lead_id=number,
    )


@dataclass
class ScenarioRun:
    events: list[PortEvent] = field(default_factory=list)
    sent: list[bytes] = field(default_factory=list)
    live: list[LiveCall] = field(default_factory=list)

    def for_call(self, call_id: str) -> list[CallEvent]:
        return [e for e in self.events if isinstance(e, CallEvent) and e.call_id == call_id]


def call_shape(events: list[CallEvent]) -> list[str]:
    """``["CallRinging", "CallAnswered(unknown)", "CallBridged(1001)", ...]``."""
    shape = []
    for e in events:
        detail = ""
        if isinstance(e, (CallBusy, CallNoAnswer, CallFailed)):
            detail = str(e.cause)
        elif isinstance(e, CallHungUp):
            detail = f"{e.party.value},{e.cause}"
        elif isinstance(e, CallBridged):
            detail = e.agent_id
        elif hasattr(e, "kind"):
            detail = e.kind.value
        shape.append(f"{type(e).__name__}({detail})" if detail else type(e).__name__)
    return shape


def _until(kind: type, call_id: str) -> Callable[[object], bool]:
    return lambda e: isinstance(e, kind) and getattr(e, "call_id", "") == call_id


async def _drive_02(port: AmiTelephony, run: ScenarioRun) -> None:
    events, seen = port.events(), run.events
    await port.originate(request("dialer-073132-b", "5551001"))
    seen += await collect_until(events, _until(CallBridged, "dialer-073132-b"))
    await port.start_recording("dialer-073132-b", path="2026/11/26/dialer-073132-b.wav")
    run.live += await port.live_calls()
    await port.stop_recording("dialer-073132-b")
    await port.hangup("dialer-073132-b")
    seen += await collect_until(events, _until(CallHungUp, "dialer-073132-b"))


async def _drive_03(port: AmiTelephony, run: ScenarioRun) -> None:
    events, seen = port.events(), run.events
    for name in FAILURE_CALLS_03:
        call_id = f"orig-073132-{name}"
        await port.originate(request(call_id, name, ring_timeout_s=15.0))
        seen += await collect_until(events, _until(CallHungUp, call_id))


async def _drive_04(port: AmiTelephony, run: ScenarioRun) -> None:
    events, seen = port.events(), run.events
    await port.originate(request("dialer-073132-d", "5551002"))
    seen += await collect_until(events, _until(CallBridged, "dialer-073132-d"))
    await port.start_recording("dialer-073132-d", path="2026/11/26/dialer-073132-d.wav")
    await port.spy("dialer-073132-d", supervisor="9000", mode=SpyMode.LISTEN)
    seen += await collect_until(events, _until(SpyStarted, "dialer-073132-d"))
    run.live += await port.live_calls()
    await port.hangup("dialer-073132-d")
    seen += await collect_until(events, _until(CallHungUp, "dialer-073132-d"))


_IDS = {
    "02": ["c1-login-001", "c1-originate-002", "c1-mixmonitor-003", "c1-coreshowchannels-004",
           "c1-stopmixmonitor-010", "c1-hangup-011", "c1-logoff-012"],
    "03": ["c1-login-001", *(f"c1-orig-{n}" for n in FAILURE_CALLS_03), "c1-logoff-002"],
    "04": ["c1-login-001", "c1-originate-002", "c1-mixmonitor-003", "c1-originate-004",
           "c1-coreshowchannels-005", "c1-hangup-007", "c1-logoff-008"],
}  # fmt: skip
_DRIVERS = {"02": _drive_02, "03": _drive_03, "04": _drive_04}


async def fixture_port_events(scenario: str) -> ScenarioRun:
    """Replay scenario 02, 03 or 04 through ``AmiTelephony``; return what it published."""
    transcript = load(scenario)
    run = ScenarioRun()
    async with AmiReplayServer(scripts=[ConnScript.from_transcript(transcript, "c1")]) as server:
        customer = "Local/{number}@failures" if scenario == "03" else "Local/{number}@customer"
        port = AmiTelephony(
            settings=settings_for(server.port, customer_dial_template=customer),
            clock=SteppingClock(),
            action_ids=ScriptedIds(_IDS[scenario]),
        )
        await port.start()
        try:
            await _DRIVERS[scenario](port, run)
        finally:
            await port.close()
        run.sent = list(server.received(0))
    return run


def main(argv: list[str]) -> None:
    for scenario in argv or ["02", "03"]:
        run = asyncio.run(fixture_port_events(scenario))
        call_ids = dict.fromkeys(e.call_id for e in run.events if isinstance(e, CallEvent))
        for call_id in call_ids:
            print(scenario, call_id, " ".join(call_shape(run.for_call(call_id))))


if __name__ == "__main__":
    main(sys.argv[1:])
