"""Each scenario's event sequence on the simulated network, as the Asterisk fixtures show it.

The shapes asserted here are the ones the AMI adapter produces from the real Asterisk 22
captures in ``shared/fixtures/asterisk-ami`` (02: originate → queue → agent → MixMonitor →
hangup; 03: busy, no answer, rejected/unallocated). Every sequence is also fed through the call
state machine, which must accept it and reach the scenario's outcome.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dialer.calls import CallLedger, Outcome
from dialer.simulated import VirtualClock, run_virtual
from dialer.telephony import (
    AnswerKind,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallEvent,
    CallFailed,
    CallHungUp,
    CallNoAnswer,
    CallRinging,
    HangupParty,
    SeatStatusChanged,
    TelephonyPort,
)
from tests.integration.dialer.simulated.shapes import SHAPES
from tests.integration.dialer.simulated.support import (
    QUEUE,
    T0,
    drive,
    network,
    of_type,
    only,
    request,
    shape,
)

Events = list[CallEvent | SeatStatusChanged]


def outcome_of(events: Events, call_id: str) -> Outcome | None:
    """Feed one call's events through the state machine (it raises on an illegal one)."""
    ledger = CallLedger()
    ledger.begin(call_id, at=T0)
    for event in events:
        if isinstance(event, CallEvent) and event.call_id == call_id:
            ledger.apply(event)
    return ledger.get(call_id).outcome


def run_one(tmp_path: Path, outcome: str, *, seats: int = 0, **overrides: object) -> Events:
    async def main() -> Events:
        net = network(tmp_path, only(outcome, **overrides))
        await net.start()
        for n in range(seats):
            await net.add_seat(f"agent-{n}", queue=QUEUE)
        try:
            return await drive(net, [request("call-1")])
        finally:
            await net.close()

    return run_virtual(main())


def test_answered_call_has_the_shape_of_fixture_02(tmp_path: Path) -> None:
    """02-originate-queue-mixmonitor: DialState RINGING → CallRinging; DialEnd ANSWER (after
    AMD) → CallAnswered(human); AgentConnect → CallBridged; MixMonitorStart → RecordingStarted;
    StopMixMonitor/hangup → RecordingStopped; Hangup cause 16 → CallHungUp."""

    async def main() -> Events:
        net = network(tmp_path, only("human"))
        await net.start()
        await net.add_seat("agent-1", queue=QUEUE)

        async def record_on_bridge(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallBridged):
                await net.start_recording(event.call_id, path="call-1.wav")

        try:
            return await drive(net, [request("call-1")], react=record_on_bridge)
        finally:
            await net.close()

    events = run_virtual(main())
    assert tuple(shape(events, "call-1")) == SHAPES["answered_recorded"]
    assert of_type(events, CallAnswered)[0].kind is AnswerKind.HUMAN
    assert of_type(events, CallBridged)[0].agent_id == "agent-1"
    hungup = of_type(events, CallHungUp)[0]
    assert (hungup.party, hungup.cause, hungup.cause_text) == (
        HangupParty.CUSTOMER, 16, "Normal Clearing"
    )  # fmt: skip
    assert hungup.ref.uniqueid == "call-1" == hungup.ref.linkedid  # like ChannelId in 02
    assert outcome_of(events, "call-1") is Outcome.COMPLETED


def test_busy_has_the_shape_of_fixture_03_busy(tmp_path: Path) -> None:
    """03 busy: no DialState RINGING, DialEnd BUSY → CallBusy(17), Hangup ;2 cause 17 (the ;1
    leg's cause 0 is not the meaningful one) → CallHungUp(17)."""
    events = run_one(tmp_path, "busy")
    assert tuple(shape(events, "call-1")) == SHAPES["busy"]
    hungup = of_type(events, CallHungUp)[0]
    assert (hungup.cause, hungup.cause_text) == (17, "User busy")
    assert outcome_of(events, "call-1") is Outcome.BUSY


def test_no_answer_has_the_shape_of_fixture_03_noanswer(tmp_path: Path) -> None:
    """03 noanswer: DialState RINGING → CallRinging; after the originate Timeout,
    OriginateResponse Reason 3 → CallNoAnswer(19); Hangup cause 19 → CallHungUp(19)."""
    events = run_one(tmp_path, "no_answer")
    assert tuple(shape(events, "call-1")) == SHAPES["no_answer"]
    ringing, no_answer = of_type(events, CallRinging)[0], of_type(events, CallNoAnswer)[0]
    assert (no_answer.at - ringing.at).total_seconds() == 20.0  # the request's ring timeout
    hungup = of_type(events, CallHungUp)[0]
    assert (hungup.cause, hungup.cause_text) == (19, "User alerting, no answer")
    assert outcome_of(events, "call-1") is Outcome.NO_ANSWER


def test_failed_has_the_shape_of_fixture_03_rejected_and_unallocated(tmp_path: Path) -> None:
    """03 rejected / unallocated: no ringing, OriginateResponse Failure Reason 0 → CallFailed with
    the Hangup's Q.850 cause (21 or 1), then Hangup with that same cause → CallHungUp."""
    events = run_one(tmp_path, "failed")
    assert tuple(shape(events, "call-1")) == SHAPES["failed"]
    failed, hungup = of_type(events, CallFailed)[0], of_type(events, CallHungUp)[0]
    assert failed.cause in {1, 21}
    assert (hungup.cause, hungup.cause_text) == (failed.cause, failed.cause_text)
    assert outcome_of(events, "call-1") is Outcome.FAILED


def test_abandoned_when_no_seat_is_ready_within_two_seconds(tmp_path: Path) -> None:
    """Answered like 02 but no queue member free: after ``abandon_after_s`` the dialplan plays the
    safe message (QueueCallerAbandon on Asterisk) → CallAbandoned, then Hangup → CallHungUp."""
    events = run_one(tmp_path, "human")
    assert tuple(shape(events, "call-1")) == SHAPES["abandoned"]
    answered, abandoned = of_type(events, CallAnswered)[0], of_type(events, CallAbandoned)[0]
    assert (abandoned.at - answered.at).total_seconds() == 2.0
    assert abandoned.wait_s == 2.0
    hungup = of_type(events, CallHungUp)[0]
    safe_message_s = (hungup.at - abandoned.at).total_seconds()
    assert safe_message_s == pytest.approx(2.16625)  # please-try-call-later.wav
    assert hungup.party is HangupParty.SYSTEM
    assert outcome_of(events, "call-1") is Outcome.ABANDONED


def test_machine_is_hung_up_once_amd_decides(tmp_path: Path) -> None:
    """Answered like 02, AMD says machine: CallAnswered(machine), then the system hangs up."""
    events = run_one(tmp_path, "machine", seats=1)
    assert tuple(shape(events, "call-1")) == SHAPES["machine"]
    assert of_type(events, CallAnswered)[0].kind is AnswerKind.MACHINE
    assert of_type(events, CallHungUp)[0].party is HangupParty.SYSTEM
    assert outcome_of(events, "call-1") is Outcome.MACHINE


def test_a_seat_freed_within_two_seconds_takes_the_waiting_call(tmp_path: Path) -> None:
    async def main() -> Events:
        clock = VirtualClock(start=T0)
        net = network(tmp_path, only("human"), clock=clock)
        await net.start()
        await net.add_seat("late", queue=QUEUE)
        await net.pause_seat("late", queue=QUEUE, paused=True, reason="toilet")

        async def unpause_a_second_later(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallAnswered):
                await clock.sleep(1.5)
                await net.pause_seat("late", queue=QUEUE, paused=False)

        try:
            return await drive(net, [request("call-1")], react=unpause_a_second_later)
        finally:
            await net.close()

    events = run_virtual(main())
    bridged = of_type(events, CallBridged)[0]
    assert (bridged.agent_id, bridged.wait_s) == ("late", 1.5)
    assert outcome_of(events, "call-1") is Outcome.COMPLETED


def test_the_network_is_a_telephony_port(tmp_path: Path) -> None:
    assert isinstance(network(tmp_path, only("human")), TelephonyPort)
