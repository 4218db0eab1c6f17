"""One call's life: applies port events through the table in ``dialer.calls.states``.

``CallMachine.apply`` is idempotent: an event equal to one already applied (same type and payload;
its time and backend ids may differ, as with the duplicate ``DialEnd CANCEL`` of fixture 02) is a
no-op that returns False. Recording and spy events are no-ops when they change nothing (a second
``RecordingStopped``). An event the table does not allow raises ``IllegalTransition``.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime

from dialer.calls.states import ATTRIBUTE_EVENTS, TRANSITIONS, CallState, Outcome, outcome_of_cause
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
    CallTransferred,
    CustomerOptedOut,
    HangupParty,
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
)

__all__ = ["CallMachine"]

logger = logging.getLogger(__name__)

_ENVELOPE = frozenset({"call_id", "at", "ref"})
_REASON_OUTCOME: dict[type[CallEvent], Outcome] = {
    CallBusy: Outcome.BUSY,
    CallNoAnswer: Outcome.NO_ANSWER,
    CallFailed: Outcome.FAILED,
}


def _dedup_key(event: CallEvent) -> tuple[object, ...]:
    payload = tuple(
        getattr(event, f.name) for f in dataclasses.fields(event) if f.name not in _ENVELOPE
    )
    return (type(event), payload)


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


class CallMachine:
    """The state, timestamps and outcome of one call, fed with that call's events in order."""

    def __init__(self, *, call_id: str, dialed_at: datetime) -> None:
        self.call_id = call_id
        self.state = CallState.DIALING
        self.outcome: Outcome | None = None
        self.kind = AnswerKind.UNKNOWN
        self.agent_id = ""
        self.dialed_at = dialed_at
        self.ringing_at: datetime | None = None
        self.answered_at: datetime | None = None
        self.bridged_at: datetime | None = None
        self.abandoned_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.hangup_party = HangupParty.UNKNOWN
        self.hangup_cause: int | None = None
        self.reason_cause: int | None = None
        self.recording_path = ""
        self.recording_active = False
        self.spied_by: frozenset[str] = frozenset()
        self.opted_out = False
        self._ring_end: datetime | None = None
        self._seen: set[tuple[object, ...]] = set()

    @property
    def ended(self) -> bool:
        return self.state is CallState.ENDED

    @property
    def ring_s(self) -> float | None:
        """Seconds the customer's phone rang (None if it never rang)."""
        return _seconds(self.ringing_at, self._ring_end)

    @property
    def wait_s(self) -> float | None:
        """Seconds an answered call waited for an agent (None if never answered)."""
        end = self.bridged_at or self.abandoned_at or self.ended_at
        return _seconds(self.answered_at, end)

    @property
    def talk_s(self) -> float | None:
        """Seconds bridged to an agent (None if never bridged or not yet ended)."""
        return _seconds(self.bridged_at, self.ended_at)

    def resume(self, state: CallState, *, agent_id: str = "") -> None:
        """Adopt a call found up in the backend after a restart, in the state it reports.

        Its earlier events were never seen here, so only its state and agent are known; the
        times of its answer and bridge stay unknown (None).
        """
        if self.state is not CallState.DIALING:
            raise self._illegal_resume(state)
        logger.info("call %s: resumed in state %s", self.call_id, state)
        self.state = state
        self.agent_id = agent_id

    def _illegal_resume(self, state: CallState) -> IllegalTransition:
        return IllegalTransition(self.call_id, self.state.value, f"resume({state.value})")

    def apply(self, event: CallEvent) -> bool:
        """Apply one event; True if it changed the call, False for a duplicate."""
        if event.call_id != self.call_id:
            raise ValueError(f"event for call {event.call_id} applied to call {self.call_id}")
        key = _dedup_key(event)
        if type(event) in ATTRIBUTE_EVENTS:
            # Judged on the current attributes, not on history (a supervisor may listen, stop
            # and listen again); history only excuses a late repeat the state no longer allows.
            if key in self._seen and self.state not in ATTRIBUTE_EVENTS[type(event)]:
                return False
            changed = self._apply_attribute(event)
        elif key in self._seen:
            return False
        else:
            changed = self._apply_transition(event)
        self._seen.add(key)
        return changed

    def _illegal(self, event: CallEvent) -> IllegalTransition:
        return IllegalTransition(self.call_id, self.state.value, type(event).__name__)

    def _apply_attribute(self, event: CallEvent) -> bool:
        if self.state not in ATTRIBUTE_EVENTS[type(event)]:
            raise self._illegal(event)
        if isinstance(event, RecordingStarted):
            if self.recording_active:
                if event.path != self.recording_path:
                    raise self._illegal(event)
                return False
            self.recording_path, self.recording_active = event.path, True
        elif isinstance(event, RecordingStopped):
            if not self.recording_active:
                return False
            self.recording_active = False
        elif isinstance(event, CustomerOptedOut):
            if self.opted_out:
                return False
            self.opted_out = True
        elif isinstance(event, CallTransferred):
            # The agent left; until the next CallBridged nobody holds the call.
            if self.agent_id != event.from_agent:
                return False
            self.agent_id = ""
        elif isinstance(event, SpyStarted | SpyStopped):
            before = self.spied_by
            if isinstance(event, SpyStarted):
                self.spied_by = before | {event.supervisor}
            else:
                self.spied_by = before - {event.supervisor}
            return self.spied_by != before
        return True

    def _apply_transition(self, event: CallEvent) -> bool:
        target = TRANSITIONS.get((self.state, type(event)))
        if target is None:
            raise self._illegal(event)
        before = self.state
        if not self._update(event):
            return False
        self.state = target
        if before is not target:
            logger.info(
                "call %s: %s -> %s on %s", self.call_id, before, target, type(event).__name__
            )
        return True

    def _update(self, event: CallEvent) -> bool:
        """Record what the event says; False when it adds nothing (a repeated hangup)."""
        if isinstance(event, CallRinging):
            self.ringing_at = event.at
        elif isinstance(event, CallAnswered):
            return self._answered(event)
        elif isinstance(event, CallBusy | CallNoAnswer | CallFailed):
            return self._reason(event)
        elif isinstance(event, CallBridged):
            if self.state is CallState.BRIDGED and event.agent_id == self.agent_id:
                return False  # a repeat, not a transfer
            if self.state is CallState.BRIDGED and self.agent_id:
                raise self._illegal(event)  # another agent, with no transfer before it
            # Talk time runs from the first agent: a transfer does not restart it.
            self.bridged_at = self.bridged_at or event.at
            self.agent_id = event.agent_id
        elif isinstance(event, CallAbandoned):
            self.abandoned_at = event.at
        elif isinstance(event, CallHungUp):
            return self._hung_up(event)
        return True

    def _answered(self, event: CallAnswered) -> bool:
        if self.state is CallState.ANSWERED:
            if event.kind is AnswerKind.UNKNOWN or event.kind is self.kind:
                return False  # a vaguer or equal repeat of the answer we already have
            if self.kind is not AnswerKind.UNKNOWN:
                raise self._illegal(event)  # human and machine at once: a backend bug
            self.kind = event.kind
            return True
        self.answered_at, self.kind = event.at, event.kind
        self._ring_end = event.at if self.ringing_at else None
        return True

    def _reason(self, event: CallBusy | CallNoAnswer | CallFailed) -> bool:
        outcome = _REASON_OUTCOME[type(event)]
        self.reason_cause = event.cause
        if self.state is CallState.ENDED:
            if self.answered_at is not None:
                raise self._illegal(event)
            changed = self.outcome is not outcome
            self.outcome = outcome
            return changed
        self.outcome = outcome
        if self.ringing_at is not None:
            self._ring_end = event.at
        return True

    def _hung_up(self, event: CallHungUp) -> bool:
        if self.state is CallState.ENDED:
            return False
        self.ended_at = event.at
        self.hangup_party, self.hangup_cause = event.party, event.cause
        self.recording_active = False
        self.spied_by = frozenset()
        if self.ringing_at is not None and self._ring_end is None:
            self._ring_end = event.at
        if self.state is not CallState.CLEARING:
            self.outcome = self._outcome_on_hangup(event.cause, event.party)
        return True

    def _outcome_on_hangup(self, cause: int, party: HangupParty) -> Outcome:
        if self.state is CallState.BRIDGED:
            return Outcome.COMPLETED
        if self.state is CallState.ANSWERED and self.kind is AnswerKind.MACHINE:
            return Outcome.MACHINE
        if self.state is CallState.ANSWERED and party is HangupParty.CUSTOMER:
            # Still waiting for an agent inside the connect limit (the backend reports
            # CallAbandoned the moment it passes), and the customer ended it: the dialer
            # dropped nothing (09: AMD's HANGUP, the customer gone at once).
            return Outcome.CUSTOMER_HUNG_UP
        if self.state in (CallState.ANSWERED, CallState.ABANDONED):
            # An answered person nobody took, or a call ended by us or for an unknown
            # reason while waiting: counted against the abandon cap, the safe side.
            return Outcome.ABANDONED
        return outcome_of_cause(cause)
