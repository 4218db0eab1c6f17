"""AmiCallControls: which AMI action each step sends (bytes), and what it refuses."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from dialer.asterisk import actions
from dialer.asterisk.calls_state import CallState
from dialer.asterisk.controls import AmiCallControls
from dialer.asterisk.settings import AmiSettings
from dialer.errors import ActionFailed, UnknownCall
from dialer.telephony.events import CallEvent, CallTransferred, ConsultChanged
from dialer.telephony.port import TargetKind, TransferTarget

CUSTOMER, AGENT = "PJSIP/trunk-00000001", "PJSIP/1001-00000002"


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def monotonic(self) -> float:
        return 0.0

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)


class Wire:
    """Collects what would go to Asterisk: the encoded bytes of each action."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    async def send(self, call: CallState, action: actions.Action) -> None:
        self.sent.append(action.encode("x"))


def _setup() -> tuple[AmiCallControls, CallState, Wire, list[CallEvent]]:
    wire, published = Wire(), []
    controls = AmiCallControls(
        settings=AmiSettings(username="u", secret="s"),
        clock=FixedClock(),
        send=wire.send,
        publish=published.append,
    )
    call = CallState(call_id="c1", customer_channel=CUSTOMER, agent_id="1001")
    call.agent_channel = AGENT
    return controls, call, wire, published


async def test_resume_bridges_the_two_legs_again() -> None:
    controls, call, wire, _ = _setup()
    await controls.hold(call, held=True)
    await controls.hold(call, held=False)
    assert wire.sent[1] == (
        b"Action: Bridge\r\nActionID: x\r\nChannel1: PJSIP/1001-00000002\r\n"
        b"Channel2: PJSIP/trunk-00000001\r\nTone: no\r\n\r\n"
    )


async def test_consult_cancel_sends_cancelatxfer_and_complete_hangs_the_agent_up() -> None:
    controls, call, wire, published = _setup()
    target = TransferTarget(TargetKind.AGENT, "1002")
    await controls.start_consult(call, target)
    await controls.cancel_consult(call)
    # Atxfer's Exten is played as DTMF: the seat's digits, "#" to end them (fixture 10).
    assert wire.sent[0] == (
        b"Action: Atxfer\r\nActionID: x\r\nChannel: PJSIP/1001-00000002\r\n"
        b"Exten: 1002#\r\nContext: xubao-transfer\r\n\r\n"
    )
    assert (
        wire.sent[1]
        == b"Action: CancelAtxfer\r\nActionID: x\r\nChannel: PJSIP/1001-00000002\r\n\r\n"
    )
    await controls.start_consult(call, target)
    await controls.complete_consult(call)
    assert wire.sent[3] == (
        b"Action: Hangup\r\nActionID: x\r\nChannel: PJSIP/1001-00000002\r\nCause: 16\r\n\r\n"
    )
    assert [type(e) for e in published] == [ConsultChanged] * 3 + [CallTransferred]
    # The agent is gone; the next bridge goes to 1002; the agent's hang-up is not the end.
    assert (call.agent_id, call.agent_channel, call.transfer_to) == ("", "", "1002")
    assert AGENT in call.departed


async def test_a_held_customer_transferred_leaves_the_agent_leg_hung_up() -> None:
    controls, call, wire, _ = _setup()
    await controls.hold(call, held=True)
    await controls.transfer(call, TransferTarget(TargetKind.QUEUE, "sales"))
    assert b"Exten: queue-sales\r\n" in wire.sent[1]
    assert wire.sent[2].startswith(b"Action: Hangup\r\n")
    assert call.transfer_to == ""  # the queue's AgentConnect names the next agent


async def test_refusals_send_nothing() -> None:
    controls, call, wire, _ = _setup()
    with pytest.raises(ActionFailed):
        await controls.start_consult(call, TransferTarget(TargetKind.QUEUE, "sales"))
    with pytest.raises(ActionFailed):
        await controls.pause_recording(call, paused=True)  # not recording
    with pytest.raises(ActionFailed):
        await controls.complete_consult(call)
    call.agent_id = ""
    with pytest.raises(ActionFailed):
        await controls.mute(call, muted=True)
    assert wire.sent == []


def test_the_departed_agent_leg_does_not_decide_who_hung_up() -> None:
    call = CallState(call_id="c1", customer_channel=CUSTOMER)
    call.add_channel("c1", CUSTOMER)
    call.add_channel("u2", AGENT)
    call.departed.add(AGENT)
    call.note_hangup_request("u2", 16)
    assert call.first_hangup_uid == ""
    call.note_hangup_request("c1", 16)
    assert call.first_hangup_uid == "c1"


async def test_a_consultation_needs_a_seat_of_digits() -> None:
    # "seat-x" or letters cannot be played as DTMF: Asterisk would dial what is left of it.
    controls, call, wire, published = _setup()
    for seat in ("sup-9000", "9", "1002a"):
        with pytest.raises(ActionFailed, match="2\\+ digits"):
            await controls.start_consult(call, TransferTarget(TargetKind.SUPERVISOR, seat))
    assert wire.sent == [] and published == []


class GoneAgentWire(Wire):
    """Asterisk answers the Hangup of the agent's leg "No such channel" (the leg is gone)."""

    async def send(self, call: CallState, action: actions.Action) -> None:
        await super().send(call, action)
        if action.name == "Hangup":
            raise UnknownCall("No such channel", call_id=call.call_id)


async def test_a_held_customer_is_transferred_even_if_the_agent_leg_is_gone() -> None:
    controls, call, _, published = _setup()
    wire = GoneAgentWire()
    controls._send = wire.send
    await controls.hold(call, held=True)
    await controls.transfer(call, TransferTarget(TargetKind.QUEUE, "sales"))
    assert [m.split(b"\r\n", 1)[0] for m in wire.sent] == [
        b"Action: Redirect",
        b"Action: Redirect",
        b"Action: Hangup",
    ]
    (moved,) = [e for e in published if isinstance(e, CallTransferred)]
    assert (moved.from_agent, moved.target) == ("1001", "queue:sales")


class RefusingWire(Wire):
    async def send(self, call: CallState, action: actions.Action) -> None:
        raise ActionFailed("No such channel", call_id=call.call_id)


async def test_a_refused_transfer_keeps_the_agent_on_the_call() -> None:
    controls, call, _, published = _setup()
    controls._send = RefusingWire().send
    with pytest.raises(ActionFailed):
        await controls.transfer(call, TransferTarget(TargetKind.AGENT, "1002"))
    assert (call.agent_id, call.agent_channel, call.transfer_to) == ("1001", AGENT, "")
    assert AGENT not in call.departed
    assert published == []


class QuickUnholdWire(Wire):
    """Asterisk ends the consultation at once (fixture 11, an unavailable seat): the tracker
    handles the Unhold, as CallTracker._on_unhold does, before the Atxfer's reply returns."""

    async def send(self, call: CallState, action: actions.Action) -> None:
        await super().send(call, action)
        if action.name == "Atxfer":
            assert (call.consult, call.consult_starting) == ("agent:1002", True)
            target, call.consult = call.consult, ""
            at = FixedClock().now()
            call.pending.append(
                ConsultChanged(call_id=call.call_id, at=at, active=False, target=target)
            )


async def test_a_consultation_over_before_atxfer_returns_ends_after_it_started() -> None:
    controls, call, _, published = _setup()
    controls._send = QuickUnholdWire().send
    await controls.start_consult(call, TransferTarget(TargetKind.AGENT, "1002"))
    assert [(e.active, e.target) for e in published if isinstance(e, ConsultChanged)] == [
        (True, "agent:1002"),
        (False, "agent:1002"),
    ]
    assert (call.consult, call.consult_starting, call.pending) == ("", False, [])


async def test_a_refused_atxfer_leaves_no_consultation() -> None:
    controls, call, _, published = _setup()
    controls._send = RefusingWire().send
    with pytest.raises(ActionFailed):
        await controls.start_consult(call, TransferTarget(TargetKind.AGENT, "1002"))
    assert (call.consult, call.consult_starting, published) == ("", False, [])
