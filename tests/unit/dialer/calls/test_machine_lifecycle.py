"""Whole call lives: outcomes, timestamps, duplicates, and the guarded special cases."""

from __future__ import annotations

import pytest

from dialer.calls import CallLedger, CallMachine, CallState, Outcome
from dialer.errors import IllegalTransition, UnknownCall
from dialer.telephony.events import (
    AnswerKind,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallBusy,
    CallEvent,
    CallFailed,
    CallHungUp,
    CallNoAnswer,
    CallRinging,
    CallTransferred,
    CustomerOptedOut,
    HangupParty,
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
)
from tests.unit.dialer.calls.events_factory import CALL_ID, T0, at, make

COMPLETED = [
    make(CallRinging, 0.5),
    make(CallAnswered, 8.5, kind=AnswerKind.HUMAN),
    make(CallBridged, 9.0),
    make(RecordingStarted, 9.1),
    make(RecordingStopped, 130.0),
    make(CallHungUp, 130.0, party=HangupParty.CUSTOMER),
]


def run(events: list[CallEvent]) -> CallMachine:
    machine = CallMachine(call_id=CALL_ID, dialed_at=T0)
    for event in events:
        machine.apply(event)
    return machine


def test_completed_call_records_timestamps_and_durations() -> None:
    machine = run(COMPLETED)
    assert machine.state is CallState.ENDED
    assert machine.outcome is Outcome.COMPLETED
    assert (machine.ringing_at, machine.answered_at) == (at(0.5), at(8.5))
    assert (machine.bridged_at, machine.ended_at) == (at(9.0), at(130.0))
    assert machine.ring_s == pytest.approx(8.0)
    assert machine.wait_s == pytest.approx(0.5)
    assert machine.talk_s == pytest.approx(121.0)
    assert machine.agent_id == "agent-7"
    assert machine.recording_path == "rec/call-1.wav"
    assert not machine.recording_active
    assert machine.hangup_party is HangupParty.CUSTOMER


@pytest.mark.parametrize(
    ("events", "outcome"),
    [
        ([make(CallBusy, 1), make(CallHungUp, 1, cause=17)], Outcome.BUSY),
        ([make(CallRinging, 1), make(CallNoAnswer, 26), make(CallHungUp, 26, cause=19)],
         Outcome.NO_ANSWER),
        ([make(CallFailed, 1, cause=21), make(CallHungUp, 1, cause=21)], Outcome.FAILED),
        ([make(CallRinging, 1), make(CallAnswered, 5, kind=AnswerKind.MACHINE),
          make(CallHungUp, 7.5)], Outcome.MACHINE),
        ([make(CallRinging, 1), make(CallAnswered, 5), make(CallAbandoned, 7),
          make(CallHungUp, 9)], Outcome.ABANDONED),
        ([make(CallRinging, 1), make(CallAnswered, 5), make(CallHungUp, 6)], Outcome.ABANDONED),
        ([make(CallRinging, 1), make(CallHungUp, 6, cause=16)], Outcome.NO_ANSWER),
        ([make(CallHungUp, 0.1, cause=34)], Outcome.BUSY),
        ([make(CallHungUp, 0.1, cause=1)], Outcome.FAILED),
    ],
    ids=["busy", "no_answer", "failed", "machine", "abandoned", "hung_up_waiting",
         "cancelled_ringing", "congestion_hangup_only", "unallocated_hangup_only"],
)  # fmt: skip
def test_each_scenario_ends_with_its_outcome(events: list[CallEvent], outcome: Outcome) -> None:
    machine = run(events)
    assert machine.ended
    assert machine.outcome is outcome


def test_no_answer_rang_until_the_reason_and_never_waited() -> None:
    machine = run([make(CallRinging, 1), make(CallNoAnswer, 26), make(CallHungUp, 26, cause=19)])
    assert machine.ring_s == pytest.approx(25.0)
    assert machine.wait_s is None
    assert machine.answered_at is None


def test_abandoned_wait_ends_at_the_abandon() -> None:
    machine = run([make(CallAnswered, 5), make(CallAbandoned, 7), make(CallHungUp, 10)])
    assert machine.wait_s == pytest.approx(2.0)
    assert machine.ring_s is None  # it was answered without a ringing event


def test_every_event_repeated_is_a_no_op() -> None:
    machine = run(COMPLETED)
    snapshot = dict(vars(machine))
    for event in COMPLETED:
        assert machine.apply(event) is False
    assert vars(machine) == snapshot


def test_repeat_with_a_later_time_and_other_backend_ids_is_still_a_duplicate() -> None:
    machine = run([make(CallRinging, 1), make(CallAnswered, 5)])
    assert machine.apply(make(CallRinging, 2)) is False
    assert machine.apply(make(CallAnswered, 6)) is False
    assert machine.answered_at == at(5)


def test_second_hangup_with_another_cause_changes_nothing() -> None:
    machine = run([make(CallBusy, 1), make(CallHungUp, 1, cause=17)])
    assert machine.apply(make(CallHungUp, 1.1, cause=0)) is False
    assert machine.hangup_cause == 17
    assert machine.outcome is Outcome.BUSY


def test_unknown_answer_is_refined_by_amd_once() -> None:
    machine = run([make(CallAnswered, 5, kind=AnswerKind.UNKNOWN)])
    assert machine.apply(make(CallAnswered, 7, kind=AnswerKind.MACHINE)) is True
    assert machine.kind is AnswerKind.MACHINE
    assert machine.answered_at == at(5)
    assert machine.apply(make(CallAnswered, 8, kind=AnswerKind.UNKNOWN)) is False
    with pytest.raises(IllegalTransition):
        machine.apply(make(CallAnswered, 9, kind=AnswerKind.HUMAN))


def test_late_reason_after_an_unanswered_hangup_refines_the_outcome() -> None:
    # fixture 03: the ;1 leg of a busy call hangs up with cause 0 before/after the reason.
    machine = run([make(CallHungUp, 1, cause=0)])
    assert machine.outcome is Outcome.INTERRUPTED  # nothing known yet
    assert machine.apply(make(CallBusy, 1.1)) is True
    assert machine.outcome is Outcome.BUSY


def test_late_reason_after_an_answered_call_is_illegal() -> None:
    machine = run(COMPLETED)
    with pytest.raises(IllegalTransition):
        machine.apply(make(CallBusy, 200))
    assert machine.outcome is Outcome.COMPLETED


def test_bridging_to_another_agent_is_illegal() -> None:
    machine = run([make(CallAnswered, 5), make(CallBridged, 6, agent_id="a1")])
    with pytest.raises(IllegalTransition):
        machine.apply(make(CallBridged, 7, agent_id="a2"))


def test_a_transfer_hands_the_call_to_the_next_agent_and_keeps_the_talk_time() -> None:
    machine = run([make(CallAnswered, 5), make(CallBridged, 6, agent_id="a1")])
    assert machine.apply(make(CallTransferred, 20, from_agent="a2")) is False  # not a2's call
    assert machine.apply(make(CallTransferred, 20, from_agent="a1")) is True
    assert machine.agent_id == ""
    assert machine.apply(make(CallBridged, 25, agent_id="a2")) is True
    assert machine.apply(make(CallBridged, 26, agent_id="a2")) is False  # a repeat
    machine.apply(make(CallHungUp, 66))
    assert (machine.agent_id, machine.talk_s, machine.outcome) == ("a2", 60.0, Outcome.COMPLETED)


def test_second_recording_to_another_path_while_recording_is_illegal() -> None:
    machine = run([make(CallAnswered, 5), make(CallBridged, 6), make(RecordingStarted, 6)])
    with pytest.raises(IllegalTransition):
        machine.apply(make(RecordingStarted, 7, path="other.wav"))


def test_a_supervisor_may_listen_stop_and_listen_again() -> None:
    machine = run([make(CallAnswered, 5), make(CallBridged, 6)])
    assert machine.apply(make(SpyStarted, 7)) is True
    assert machine.apply(make(SpyStarted, 7.5)) is False
    assert machine.apply(make(SpyStopped, 8)) is True
    assert machine.apply(make(SpyStopped, 8.5)) is False
    assert machine.apply(make(SpyStarted, 9)) is True
    assert machine.spied_by == {"sup-1"}
    machine.apply(make(CallHungUp, 20))
    assert machine.spied_by == frozenset()


def test_recording_stop_start_stop_follows_the_recording() -> None:
    machine = run([make(CallAnswered, 5), make(CallBridged, 6), make(RecordingStarted, 6)])
    assert machine.apply(make(RecordingStopped, 10)) is True
    assert machine.apply(make(RecordingStopped, 10.1)) is False
    assert machine.apply(make(RecordingStarted, 11)) is True
    assert machine.recording_active


def test_event_of_another_call_is_a_programming_error() -> None:
    machine = CallMachine(call_id="other", dialed_at=T0)
    with pytest.raises(ValueError, match="call-1"):
        machine.apply(make(CallRinging, 1))


def test_ledger_tracks_calls_and_refuses_unknown_ones() -> None:
    ledger = CallLedger()
    first = ledger.begin(CALL_ID, at=T0)
    assert ledger.begin(CALL_ID, at=at(5)) is first
    assert ledger.apply(make(CallRinging, 1)) is True
    assert [m.call_id for m in ledger.live()] == [CALL_ID]
    ledger.apply(make(CallHungUp, 2, cause=19))
    assert [m.outcome for m in ledger.ended()] == [Outcome.NO_ANSWER]
    assert CALL_ID in ledger and len(ledger) == 1
    with pytest.raises(UnknownCall):
        ledger.apply(CallRinging(call_id="nope", at=T0))
    with pytest.raises(UnknownCall):
        ledger.get("nope")


def test_optout_userevent_07_is_kept_in_every_state() -> None:
    # Item 4: an opt-out is never refused as out of order; a repeat changes nothing.
    abandoned = [make(CallAnswered, 1.0, kind=AnswerKind.HUMAN), make(CallAbandoned, 3.0)]
    machine = run(abandoned)
    assert machine.apply(make(CustomerOptedOut, 5.0, digit="9"))
    assert not machine.apply(make(CustomerOptedOut, 5.5, digit="9"))
    assert machine.opted_out
    late = run([*abandoned, make(CallHungUp, 6.0)])
    assert late.apply(make(CustomerOptedOut, 6.5, digit="9"))
    assert late.opted_out and late.outcome is Outcome.ABANDONED
