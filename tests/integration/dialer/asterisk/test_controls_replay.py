"""The call controls of ``AmiTelephony`` on the answered call of fixture 02 (Asterisk 22).

Each control is sent in the place of the capture's ``StopMixMonitor``, and gets that action's
real reply (a bare ``Response: Success`` + ActionID, then ``MixMonitorStop``). What is checked is
what we send on fixture 02's channels, byte for byte, and what we publish; the real replies to
these actions are in fixture 10, replayed by ``test_controls_10.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from dialer.asterisk.adapter import AmiTelephony
from dialer.telephony.events import (
    CallBridged,
    CallEvent,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallTransferred,
    ConsultChanged,
    RecordingPauseChanged,
)
from dialer.telephony.port import TargetKind, TransferTarget
from tests.ami_transcripts import load
from tests.integration.dialer.asterisk.replay_server import (
    AmiReplayServer,
    ConnScript,
    ScriptedIds,
)
from tests.integration.dialer.asterisk.scenarios import request
from tests.integration.dialer.asterisk.support import SteppingClock, collect_until, settings_for

CALL = "dialer-073132-b"
CUSTOMER = b"Local/5551001@customer-00000000;1"
AGENT = b"Local/1001@agents-00000002;1"
IDS = ["c1-login-001", "c1-originate-002", "c1-mixmonitor-003", "c1-stopmixmonitor-010",
       "c1-hangup-011", "c1-logoff-012"]  # fmt: skip
Control = Callable[[AmiTelephony], Awaitable[None]]


async def _run_02(control: Control) -> tuple[bytes, list[object]]:
    """Answer 02's call, record it, apply ``control``, hang up; the control's bytes, events."""
    transcript = load("02")
    async with AmiReplayServer(scripts=[ConnScript.from_transcript(transcript, "c1")]) as server:
        port = AmiTelephony(
            settings=settings_for(server.port, hold_context="xubao-hold"),
            clock=SteppingClock(),
            action_ids=ScriptedIds(IDS),
        )
        await port.start()
        events = port.events()
        try:
            await port.originate(request(CALL, "5551001"))
            seen = await collect_until(events, lambda e: isinstance(e, CallBridged))
            await port.start_recording(CALL, path="2026/11/26/dialer-073132-b.wav")
            await control(port)
            await port.hangup(CALL)
            seen += await collect_until(events, lambda e: isinstance(e, CallHungUp))
        finally:
            await port.close()
        (sent,) = [m for m in server.received(0) if b"ActionID: c1-stopmixmonitor-010" in m]
    return sent, [e for e in seen if isinstance(e, CallEvent) and e.call_id == CALL]


def _hold(port: AmiTelephony) -> Awaitable[None]:
    return port.hold(CALL, held=True)


def _mute(port: AmiTelephony) -> Awaitable[None]:
    return port.mute(CALL, muted=True)


def _transfer(port: AmiTelephony) -> Awaitable[None]:
    return port.transfer(CALL, TransferTarget(TargetKind.AGENT, "1002"))


def _consult(port: AmiTelephony) -> Awaitable[None]:
    return port.start_consult(CALL, TransferTarget(TargetKind.SUPERVISOR, "9000"))


def _pause(port: AmiTelephony) -> Awaitable[None]:
    return port.pause_recording(CALL, paused=True)


@pytest.mark.parametrize(
    ("control", "wire", "published"),
    [
        (
            _hold,
            b"Action: Redirect\r\nActionID: c1-stopmixmonitor-010\r\nChannel: " + CUSTOMER
            + b"\r\nExtraChannel: " + AGENT + b"\r\nContext: xubao-hold\r\nExten: customer\r\n"
            b"Priority: 1\r\nExtraContext: xubao-hold\r\nExtraExten: agent\r\n"
            b"ExtraPriority: 1\r\n\r\n",
            CallHoldChanged,
        ),
        (
            _mute,
            b"Action: Setvar\r\nActionID: c1-stopmixmonitor-010\r\nChannel: " + AGENT
            + b"\r\nVariable: MUTEAUDIO(in)\r\nValue: on\r\n\r\n",
            CallMuteChanged,
        ),
        (
            _transfer,
            b"Action: Redirect\r\nActionID: c1-stopmixmonitor-010\r\nChannel: " + CUSTOMER
            + b"\r\nContext: xubao-transfer\r\nExten: seat-1002\r\nPriority: 1\r\n\r\n",
            CallTransferred,
        ),
        (
            _consult,
            b"Action: Atxfer\r\nActionID: c1-stopmixmonitor-010\r\nChannel: " + AGENT
            + b"\r\nExten: 9000#\r\nContext: xubao-transfer\r\n\r\n",
            ConsultChanged,
        ),
        (
            _pause,
            b"Action: MixMonitorMute\r\nActionID: c1-stopmixmonitor-010\r\nChannel: " + CUSTOMER
            + b"\r\nDirection: both\r\nState: 1\r\n\r\n",
            RecordingPauseChanged,
        ),
    ],
    ids=["hold", "mute", "transfer", "consult", "pause_recording"],
)  # fmt: skip
async def test_control_bytes_and_event_on_the_answered_call_02(
    control: Control, wire: bytes, published: type
) -> None:
    sent, events = await _run_02(control)
    assert sent == wire
    assert [type(e) for e in events].count(published) == 1
    assert isinstance(events[-1], CallHungUp)


async def test_transfer_names_the_agent_who_left_02() -> None:
    _, events = await _run_02(_transfer)
    (moved,) = [e for e in events if isinstance(e, CallTransferred)]
    assert (moved.from_agent, moved.target, moved.attended) == ("1001", "agent:1002", False)
