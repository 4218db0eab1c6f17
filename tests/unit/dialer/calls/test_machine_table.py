"""Every pair of (state, event type): the table's transitions happen, all others are refused."""

from __future__ import annotations

import pytest

from dialer.calls import ATTRIBUTE_EVENTS, TRANSITIONS, CallMachine, CallState
from dialer.errors import IllegalTransition
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
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
)
from tests.unit.dialer.calls.events_factory import CALL_ID, T0, make

ALL_EVENTS: list[type[CallEvent]] = [
    CallRinging,
    CallAnswered,
    CallBusy,
    CallNoAnswer,
    CallFailed,
    CallBridged,
    CallAbandoned,
    CallHungUp,
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
]

# The events that bring a fresh call into each state (an unknown-kind answer, so that a later
# human/machine answer is the allowed refinement; an unanswered end, so a late reason is allowed).
PATHS: dict[CallState, list[CallEvent]] = {
    CallState.DIALING: [],
    CallState.RINGING: [make(CallRinging, 1)],
    CallState.ANSWERED: [make(CallRinging, 1), make(CallAnswered, 5, kind=AnswerKind.UNKNOWN)],
    CallState.BRIDGED: [
        make(CallRinging, 1),
        make(CallAnswered, 5, kind=AnswerKind.UNKNOWN),
        make(CallBridged, 6),
    ],
    CallState.ABANDONED: [
        make(CallRinging, 1),
        make(CallAnswered, 5, kind=AnswerKind.UNKNOWN),
        make(CallAbandoned, 7),
    ],
    CallState.CLEARING: [make(CallRinging, 1), make(CallNoAnswer, 25)],
    CallState.ENDED: [make(CallRinging, 1), make(CallHungUp, 3, cause=0)],
}


def machine_in(state: CallState) -> CallMachine:
    machine = CallMachine(call_id=CALL_ID, dialed_at=T0)
    for event in PATHS[state]:
        machine.apply(event)
    assert machine.state is state
    return machine


def test_every_state_is_reachable_and_covered() -> None:
    assert set(PATHS) == set(CallState)


@pytest.mark.parametrize(
    ("state", "kind"), sorted(TRANSITIONS, key=lambda k: (k[0], k[1].__name__)), ids=str
)
def test_each_table_transition_leads_to_its_target_state(
    state: CallState, kind: type[CallEvent]
) -> None:
    machine = machine_in(state)
    machine.apply(make(kind, 30))
    assert machine.state is TRANSITIONS[(state, kind)]


ILLEGAL = [
    (state, kind)
    for state in CallState
    for kind in ALL_EVENTS
    if (state, kind) not in TRANSITIONS
    and state not in ATTRIBUTE_EVENTS.get(kind, frozenset())
    and kind not in {type(e) for e in PATHS[state]}
]
# An event equal to one on the path is a duplicate (a no-op), not an illegal transition.
REPEATS = [(state, index) for state in CallState for index in range(len(PATHS[state]))]


@pytest.mark.parametrize(("state", "kind"), ILLEGAL, ids=str)
def test_each_pair_outside_the_table_is_refused_loudly(
    state: CallState, kind: type[CallEvent]
) -> None:
    machine = machine_in(state)
    with pytest.raises(IllegalTransition) as caught:
        machine.apply(make(kind, 30))
    assert caught.value.call_id == CALL_ID
    assert caught.value.state == state.value
    assert caught.value.event == kind.__name__
    assert machine.state is state


@pytest.mark.parametrize(("state", "index"), REPEATS, ids=str)
def test_repeating_an_event_of_the_path_is_a_no_op_in_any_state(
    state: CallState, index: int
) -> None:
    machine = machine_in(state)
    assert machine.apply(PATHS[state][index]) is False
    assert machine.state is state


# Sorted: a set's order changes from one process to the next (pytest-xdist workers must agree).
ATTRIBUTE_ALLOWED = [
    (state, kind)
    for kind, states in ATTRIBUTE_EVENTS.items()
    for state in sorted(states, key=lambda s: s.value)
]


@pytest.mark.parametrize(("state", "kind"), ATTRIBUTE_ALLOWED, ids=str)
def test_attribute_events_are_allowed_in_their_states_and_keep_the_state(
    state: CallState, kind: type[CallEvent]
) -> None:
    machine = machine_in(state)
    machine.apply(make(kind, 30))
    assert machine.state is state


def test_the_illegal_list_is_not_empty_and_disjoint_from_the_table() -> None:
    assert len(ILLEGAL) > 30
    assert not set(ILLEGAL) & set(TRANSITIONS)
