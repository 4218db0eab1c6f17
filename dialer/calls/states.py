"""The table of call states and the transitions the port's events drive.

One table, read by ``dialer.calls.machine``. A call is born DIALING when the dialer originates it,
and ``CallHungUp`` (always the last event of a call) takes it to ENDED with an ``Outcome``::

    DIALING ──Ringing──▶ RINGING ──Answered──▶ ANSWERED ──Bridged──▶ BRIDGED ⟲ Bridged (transfer)
       │                    │                     │  └──Abandoned──▶ ABANDONED
       └─Busy/NoAnswer/Failed┴──▶ CLEARING        │
    every state but ENDED ──HungUp──▶ ENDED (outcome from the state it left)

An answered call that the customer hangs up while still ANSWERED (no agent yet, no safe
message: the connect limit has not passed) ends CUSTOMER_HUNG_UP, not ABANDONED.

CLEARING exists because Asterisk reports the reason (busy, no answer, failed) and the hangup as
two events (fixture 03: ``DialEnd BUSY`` then ``Hangup`` cause 17); the outcome is known in
CLEARING but the call is not over until the hangup arrives.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from dialer.telephony.events import (
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallBusy,
    CallEvent,
    CallFailed,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallNoAnswer,
    CallRinging,
    CallTransferred,
    ConsultChanged,
    CustomerOptedOut,
    RecordingPauseChanged,
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
)

__all__ = [
    "ATTRIBUTE_EVENTS",
    "TRANSITIONS",
    "CallState",
    "Outcome",
    "outcome_of_cause",
]


class CallState(enum.StrEnum):
    """Where a call is in its life."""

    DIALING = "dialing"
    RINGING = "ringing"
    ANSWERED = "answered"
    BRIDGED = "bridged"
    ABANDONED = "abandoned"
    CLEARING = "clearing"
    ENDED = "ended"


class Outcome(enum.StrEnum):
    """How an ended call ended."""

    BUSY = "busy"
    NO_ANSWER = "no_answer"
    FAILED = "failed"
    MACHINE = "machine"
    ABANDONED = "abandoned"
    # Answered, then ended by the customer before an agent or the safe message came (inside
    # the connect limit, e.g. during AMD: 09). Not an abandon by the dialer: FTC and Ofcom
    # count the calls the dialer drops or leaves unconnected, so it is out of the abandon rate.
    CUSTOMER_HUNG_UP = "customer_hung_up"
    COMPLETED = "completed"
    # The call's real result is unknown: the runtime's re-sync closes with it an attempt whose
    # call ended while no runtime was following it, and a call machine ends with it a call
    # that hung up before any answer with neither a reason nor a cause (cause 0: the backend
    # lost sight of it, e.g. it ended while the AMI link was down). Never "failed" for that.
    INTERRUPTED = "interrupted"


_S = CallState
_LIVE = (_S.DIALING, _S.RINGING, _S.ANSWERED, _S.BRIDGED, _S.ABANDONED, _S.CLEARING)

#: (state, event type) → next state. A pair that is not here is an illegal transition.
TRANSITIONS: Mapping[tuple[CallState, type[CallEvent]], CallState] = {
    (_S.DIALING, CallRinging): _S.RINGING,
    (_S.DIALING, CallAnswered): _S.ANSWERED,
    (_S.RINGING, CallAnswered): _S.ANSWERED,
    # Only to refine an UNKNOWN answer into human/machine once AMD decides (guarded in machine).
    (_S.ANSWERED, CallAnswered): _S.ANSWERED,
    (_S.DIALING, CallBusy): _S.CLEARING,
    (_S.RINGING, CallBusy): _S.CLEARING,
    (_S.DIALING, CallNoAnswer): _S.CLEARING,
    (_S.RINGING, CallNoAnswer): _S.CLEARING,
    (_S.DIALING, CallFailed): _S.CLEARING,
    (_S.RINGING, CallFailed): _S.CLEARING,
    # The hangup may come before the reason (fixture 03: OriginateResponse "may come before,
    # between or after the Hangup events"): a late reason only refines an unanswered outcome.
    (_S.ENDED, CallBusy): _S.ENDED,
    (_S.ENDED, CallNoAnswer): _S.ENDED,
    (_S.ENDED, CallFailed): _S.ENDED,
    (_S.ANSWERED, CallBridged): _S.BRIDGED,
    (_S.ANSWERED, CallAbandoned): _S.ABANDONED,
    # A transfer: the customer, still bridged, reaches the next agent (CallTransferred first).
    (_S.BRIDGED, CallBridged): _S.BRIDGED,
    **{(state, CallHungUp): _S.ENDED for state in _LIVE},
    # Several legs hang up (fixture 02: four Hangup events); the first one ended the call.
    (_S.ENDED, CallHungUp): _S.ENDED,
}

#: Events that change a call's attributes (recording, spy) but never its state, and where allowed.
ATTRIBUTE_EVENTS: Mapping[type[CallEvent], frozenset[CallState]] = {
    RecordingStarted: frozenset({_S.ANSWERED, _S.BRIDGED}),
    RecordingStopped: frozenset({_S.ANSWERED, _S.BRIDGED, _S.ABANDONED, _S.ENDED}),
    SpyStarted: frozenset({_S.BRIDGED}),
    SpyStopped: frozenset({_S.BRIDGED, _S.ENDED}),
    # A legal obligation: never refused, whatever the state (it comes while the safe message
    # plays, 07, but a late or re-synced one must still reach the do-not-call list).
    CustomerOptedOut: frozenset(CallState),
    # The agent's call controls (issue 11): only on a call an agent is talking on.
    CallHoldChanged: frozenset({_S.BRIDGED}),
    CallMuteChanged: frozenset({_S.BRIDGED}),
    RecordingPauseChanged: frozenset({_S.BRIDGED, _S.ENDED}),
    ConsultChanged: frozenset({_S.BRIDGED}),
    CallTransferred: frozenset({_S.BRIDGED}),
}

_BUSY_CAUSES = frozenset({17, 34})  # user busy, circuit/channel congestion
_NO_ANSWER_CAUSES = frozenset({16, 18, 19})  # 16: we cancelled a ringing call ourselves


def outcome_of_cause(cause: int) -> Outcome:
    """The outcome of a call that hung up before it was answered, from the Q.850 cause.

    Cause 0 ("not defined") with no reason event before it says nothing about the call: it is
    INTERRUPTED (result unknown) until a late reason refines it (fixture 03 allows one).
    """
    if cause == 0:
        return Outcome.INTERRUPTED
    if cause in _BUSY_CAUSES:
        return Outcome.BUSY
    if cause in _NO_ANSWER_CAUSES:
        return Outcome.NO_ANSWER
    return Outcome.FAILED
