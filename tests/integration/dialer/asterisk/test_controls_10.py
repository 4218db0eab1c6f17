"""Fixture 10: the agent's call controls on a real Asterisk 22.10.1, replayed byte for byte.

The adapter is driven through the same port calls the capture's script made (seats, call A:
hold, resume, mute, recording pause, attended transfer cancelled then completed; call B: blind
transfer to a seat, hold there, blind transfer to the queue), against a loopback server that
answers each action with the bytes Asterisk sent. Checked: every byte the adapter sends (the
channels it picked, the Atxfer digits), what it publishes for each control, and the real reply
to each control action.
"""

from __future__ import annotations

from typing import cast

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
    PortEvent,
    RecordingPauseChanged,
)
from dialer.telephony.port import TargetKind, TransferTarget
from tests.ami_transcripts import load
from tests.integration.dialer.asterisk.lab import (
    LAB_QUEUE,
    for_call,
    lab_port,
    lab_request,
    until_hung_up,
)
from tests.integration.dialer.asterisk.support import collect_until

CALL_A = "9e7acec48aa64253b7e3b59da45004c2"
CALL_B = "90c1dabb372040c8a7296c35b209a910"
SEATS = ("1001", "1002", "1003")
IDS = [f"xubao-{n}" for n in range(1, 33)]
SEAT_1001 = TransferTarget(TargetKind.AGENT, "1001")


def _bridged(call_id: str, agent: str) -> object:
    return lambda e: isinstance(e, CallBridged) and e.call_id == call_id and e.agent_id == agent


async def _mute_and_unmute(port: AmiTelephony, call_id: str) -> None:
    await port.mute(call_id, muted=True)
    await port.mute(call_id, muted=False)


async def _run_10() -> tuple[list[PortEvent], list[bytes]]:
    async with lab_port("10", IDS) as lab:
        port, events = lab.port, lab.events
        for seat in SEATS:
            await port.add_seat(seat, queue=LAB_QUEUE, name=f"坐席{seat}")
        # Call A: the controls on the queue's agent, then an attended transfer to seat 1001.
        await port.originate(lab_request(CALL_A, "15759854071", lead_id="31"))
        seen: list[object] = await collect_until(events, _bridged(CALL_A, "1003"))
        await port.hold(CALL_A, held=True)
        await port.hold(CALL_A, held=False)
        await _mute_and_unmute(port, CALL_A)
        await port.pause_recording(CALL_A, paused=True)
        await port.pause_recording(CALL_A, paused=False)
        await port.start_consult(CALL_A, SEAT_1001)
        await port.cancel_consult(CALL_A)
        await port.start_consult(CALL_A, SEAT_1001)
        await port.complete_consult(CALL_A)
        seen += await collect_until(events, _bridged(CALL_A, "1001"))
        await _mute_and_unmute(port, CALL_A)  # on the new agent's leg
        await port.hangup(CALL_A)
        seen += await until_hung_up(events, {CALL_A})
        # Call B: blind transfer to a seat, hold there, then blind transfer to the queue.
        await port.originate(lab_request(CALL_B, "13012980601", lead_id="32"))
        seen += await collect_until(events, _bridged(CALL_B, "1002"))
        await port.transfer(CALL_B, SEAT_1001)
        seen += await collect_until(events, _bridged(CALL_B, "1001"))
        await _mute_and_unmute(port, CALL_B)
        await port.hold(CALL_B, held=True)
        await port.transfer(CALL_B, TransferTarget(TargetKind.QUEUE, LAB_QUEUE))
        seen += await collect_until(events, _bridged(CALL_B, "1003"))
        await _mute_and_unmute(port, CALL_B)
        await port.hangup(CALL_B)
        seen += await until_hung_up(events, {CALL_B})
        for seat in SEATS:
            await port.remove_seat(seat, queue=LAB_QUEUE)
    return cast(list[PortEvent], seen), lab.sent()  # sent: with the Logoff of close()


def _shape(events: list[CallEvent]) -> list[str]:
    out = []
    for e in events:
        name = type(e).__name__
        if isinstance(e, CallBridged):
            name += f"({e.agent_id})"
        elif isinstance(e, CallHoldChanged):
            name += f"({e.held})"
        elif isinstance(e, CallMuteChanged):
            name += f"({e.muted})"
        elif isinstance(e, RecordingPauseChanged):
            name += f"({e.paused})"
        elif isinstance(e, ConsultChanged):
            name += f"({e.active},{e.target})"
        elif isinstance(e, CallTransferred):
            name += f"({e.from_agent}->{e.target},{'attended' if e.attended else 'blind'})"
        elif isinstance(e, CallHungUp):
            name += f"({e.party.value},{e.cause})"
        out.append(name)
    return out


async def test_the_adapter_sends_exactly_what_it_sent_to_the_real_asterisk_10() -> None:
    _, sent = await _run_10()
    assert sent == load("10").sends("c1")
    actions = [m.split(b"\r\n", 1)[0].removeprefix(b"Action: ").decode() for m in sent]
    assert actions[5:18] == [
        "Redirect", "Bridge", "Setvar", "Setvar", "MixMonitorMute", "MixMonitorMute",
        "Atxfer", "CancelAtxfer", "Atxfer", "Hangup", "Setvar", "Setvar", "Hangup",
    ]  # fmt: skip


async def test_call_a_hold_mute_pause_and_attended_transfer_10() -> None:
    seen, sent = await _run_10()
    assert _shape(for_call(seen, CALL_A)) == [
        "CallRinging",
        "CallAnswered",
        "RecordingStarted",
        "CallBridged(1003)",
        "CallHoldChanged(True)",
        "CallHoldChanged(False)",  # the channel-less XubaoHangup of the resume ends nothing
        "CallMuteChanged(True)",
        "CallMuteChanged(False)",
        "RecordingPauseChanged(True)",
        "RecordingPauseChanged(False)",
        "ConsultChanged(True,agent:1001)",
        "ConsultChanged(False,agent:1001)",
        "ConsultChanged(True,agent:1001)",
        "CallTransferred(1003->agent:1001,attended)",
        "CallBridged(1001)",
        "CallMuteChanged(True)",
        "CallMuteChanged(False)",
        "RecordingStopped",
        "CallHungUp(system,16)",
    ]
    # Atxfer's Exten reaches Asterisk as DTMF: the seat's digits and "#", nothing else.
    (atxfer, *_) = [m for m in sent if m.startswith(b"Action: Atxfer\r\n")]
    assert b"\r\nExten: 1001#\r\nContext: xubao-transfer\r\n" in atxfer
    # After the transfer the agent's leg is the one Asterisk left in the customer's bridge
    # (after LocalOptimization), not the transfer's Local channel nor the seat's ;2.
    assert b"Channel: Local/1001@lab-agents-00000005;1\r\n" in _by_id(sent, "xubao-16")


async def test_call_b_blind_transfers_to_a_seat_and_from_hold_to_the_queue_10() -> None:
    seen, sent = await _run_10()
    assert _shape(for_call(seen, CALL_B)) == [
        "CallRinging",
        "CallAnswered",
        "RecordingStarted",
        "CallBridged(1002)",
        "CallTransferred(1002->agent:1001,blind)",
        "CallBridged(1001)",
        "CallMuteChanged(True)",
        "CallMuteChanged(False)",
        "CallHoldChanged(True)",
        "CallTransferred(1001->queue:renewal-2026q4,blind)",
        "CallBridged(1003)",
        "CallMuteChanged(True)",
        "CallMuteChanged(False)",
        "RecordingStopped",
        "CallHungUp(system,16)",
    ]
    # The seat reached by Dial(Local/1001@...): its ;1 is bridged with the customer. Mute,
    # hold and the held leg's hang-up all go to it (the ;2 was picked before fixture 10).
    seat = b"Local/1001@lab-agents-00000008;1"
    assert b"Channel: " + seat + b"\r\n" in _by_id(sent, "xubao-21")
    assert b"ExtraChannel: " + seat + b"\r\n" in _by_id(sent, "xubao-23")
    assert b"Channel: " + seat + b"\r\n" in _by_id(sent, "xubao-25")


def _by_id(messages: list[bytes], action_id: str) -> bytes:
    (found,) = [m for m in messages if f"\r\nActionID: {action_id}\r\n".encode() in m]
    return found


def _replies() -> dict[str, tuple[str, str]]:
    """``ActionID -> (Response, Message)`` of every reply in 10's server stream."""
    stream = load("10").server_stream("c1").decode("utf-8")
    out = {}
    for block in stream.split("\r\n\r\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\r\n") if ": " in line)
        fields |= {line[:-1]: "" for line in block.split("\r\n") if line.endswith(":")}
        if "Response" in fields and "Event" not in fields:
            out[fields["ActionID"]] = (fields["Response"], fields.get("Message", ""))
    return out


@pytest.mark.parametrize(
    ("action_id", "reply"),
    [
        ("xubao-6", ("Success", "Dual Redirect successful")),  # hold
        ("xubao-7", ("Success", "Channels have been bridged")),  # resume
        ("xubao-8", ("Success", "Variable Set")),  # mute
        ("xubao-10", ("Success", "")),  # recording pause: no Message at all
        ("xubao-12", ("Success", "Atxfer successfully queued")),
        ("xubao-13", ("Success", "CancelAtxfer successfully queued")),
        ("xubao-15", ("Success", "Channel Hungup")),  # completes the attended transfer
        ("xubao-20", ("Success", "Redirect successful")),  # blind transfer to a seat
        ("xubao-24", ("Success", "Redirect successful")),  # blind transfer from hold
        ("xubao-25", ("Success", "Channel Hungup")),  # the held agent's leg
    ],
)
def test_real_replies_to_the_control_actions_10(action_id: str, reply: tuple[str, str]) -> None:
    assert _replies()[action_id] == reply


def test_recording_pause_and_consultation_events_10() -> None:
    stream = load("10").server_stream("c1").decode("utf-8")
    events = [b.split("\r\n", 1)[0] for b in stream.split("\r\n\r\n")]
    assert events.count("Event: MixMonitorMute") == 2
    assert events.count("Event: AttendedTransfer") == 1
    assert events.count("Event: Hold") == 2 and events.count("Event: Unhold") == 1
