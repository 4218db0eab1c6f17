"""The state of one tracked call and the two events it ends with."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from dialer.telephony.events import (
    BackendRef,
    CallBusy,
    CallEvent,
    CallFailed,
    CallHungUp,
    CallNoAnswer,
    HangupParty,
)
from dialer.telephony.port import OriginateRequest

__all__ = ["SOFTHANGUP_SHUTDOWN", "CallState", "Outcome"]

_ANSWERED_ELSEWHERE = 26  # a queue's cancelled agent leg (02): not who ended the call
SOFTHANGUP_SHUTDOWN = 4  # SoftHangupRequest ``Cause`` of every channel when Asterisk stops (06)


class Outcome(enum.Enum):
    """What the Originate came to; ``OriginateResponse`` ``Reason`` is not a Q.850 cause."""

    NONE = ""
    ANSWERED = "answered"
    BUSY = "busy"
    CONGESTION = "congestion"
    NO_ANSWER = "no_answer"
    FAILED = "failed"
    LOST = "lost"  # ended while AMI was disconnected; its outcome was never seen

    def __bool__(self) -> bool:
        return self is not Outcome.NONE

    @classmethod
    def from_reason(cls, reason: int) -> Outcome:
        """The last AST_CONTROL frame: 5 busy, 8 congestion, 3 ringing (no answer)."""
        return {5: cls.BUSY, 8: cls.CONGESTION, 3: cls.NO_ANSWER}.get(reason, cls.FAILED)

    @classmethod
    def from_cause(cls, cause: int) -> Outcome:
        """When ``Reason`` says nothing (0): the Q.850 cause of the customer leg's hangup.

        On chan_pjsip a 486 gives ``Reason: 0`` and ``Cause: 17``, a 503 ``Reason: 0`` and
        ``Cause: 34`` (issue 9; the Local channels of 03 gave Reason 5 and 8 instead).
        """
        return _CAUSE_OUTCOMES.get(cause, cls.FAILED)


_CAUSE_OUTCOMES = {17: Outcome.BUSY, 34: Outcome.CONGESTION, 19: Outcome.NO_ANSWER}


@dataclass(slots=True)
class CallState:
    """Everything known about one call; mutated only by ``CallTracker``."""

    call_id: str
    request: OriginateRequest | None = None
    outcome: Outcome = Outcome.NONE
    channels: dict[str, str] = field(default_factory=dict)  # live legs: Uniqueid -> name
    added_at: dict[str, int] = field(default_factory=dict)  # Uniqueid -> tracker message seq
    customer_channel: str = ""
    causes: dict[str, tuple[int, str]] = field(default_factory=dict)
    first_hangup_uid: str = ""
    hangup_by_us: bool = False
    shut_down: bool = False  # a leg got SoftHangupRequest Cause 4 (AST_SOFTHANGUP_SHUTDOWN, 06)
    saw_gap: bool = False  # the AMI link dropped while it was up: some events may be missing
    ringing_sent: bool = False
    answered_sent: bool = False
    abandoned_sent: bool = False
    agent_id: str = ""
    agent_channel: str = ""
    queued_at: float | None = None
    answered_at: datetime | None = None  # OriginateResponse success: the line answered
    recording_path: str = ""
    recording_active: bool = False
    finished: bool = False
    # Call controls (dialer.asterisk.controls): the customer parked on music, an attended
    # transfer's target, the seat a transferred customer is going to, and the legs of agents
    # who left by a transfer (their hang-up says nothing about who ended the call).
    held: bool = False
    consult: str = ""
    transfer_to: str = ""
    departed: set[str] = field(default_factory=set)
    # Which bridge each leg is in (BridgeEnter/BridgeLeave): the agent's leg is the one that
    # shares the customer's bridge, whatever its name (fixture 10).
    bridges: dict[str, str] = field(default_factory=dict)  # Uniqueid -> BridgeUniqueid
    # While a transfer's action is in flight (controls.py) the next agent's CallBridged waits
    # in ``pending``, to be published after CallTransferred.
    transferring: bool = False
    pending: list[CallEvent] = field(default_factory=list)
    # While an Atxfer is in flight the consultation is already set (an Unhold can come in
    # the same read as its reply: fixture 11, replayed) and ConsultChanged waits in
    # ``pending``, to be published after the control's ConsultChanged(active=True).
    consult_starting: bool = False

    @property
    def peer_id(self) -> str:
        """The ``OtherChannelId`` we gave the ``;2`` leg (the customer side of Local)."""
        return f"{self.call_id}-peer"

    @property
    def ref(self) -> BackendRef:
        return BackendRef(
            channel=self.customer_channel, uniqueid=self.call_id, linkedid=self.call_id
        )

    def add_channel(self, uid: str, name: str, *, seq: int = 0) -> None:
        if not uid:
            return
        self.channels[uid] = name
        self.added_at[uid] = seq
        if uid == self.call_id:
            self.customer_channel = name

    def replace_channels(self, listed: dict[str, str], *, since: int) -> None:
        """Take a listing's legs, keeping what the stream said after the listing was asked:
        legs created since (``added_at > since``) stay, legs already hung up do not return."""
        fresh = {u: n for u, n in self.channels.items() if self.added_at.get(u, 0) > since}
        self.channels = {u: n for u, n in listed.items() if u not in self.causes} | fresh
        if self.call_id in listed:
            self.customer_channel = listed[self.call_id]

    def note_hangup_request(self, uid: str, cause: int) -> None:
        if self.channels.get(uid) in self.departed:
            return
        if not self.first_hangup_uid and cause != _ANSWERED_ELSEWHERE and uid in self.channels:
            self.first_hangup_uid = uid

    def newest_agent_leg(self) -> str:
        """The last leg added that is neither the customer's nor an agent who left."""
        legs = [
            name
            for uid, name in self.channels.items()
            if uid not in (self.call_id, self.peer_id) and name not in self.departed
        ]
        return legs[-1] if legs else ""

    def customer_partner(self) -> str:
        """The leg in the customer's bridge with it (the agent's side), or "".

        The newest leg is not it when seats are Local channels: a Dial() to
        ``Local/1001@...`` adds ``;1`` (bridged with the customer) and then ``;2``. And after
        an attended transfer Asterisk swaps the transfer's Local channel out of the bridge for
        the seat's own leg (LocalOptimizationBegin, BridgeLeave, BridgeEnter: fixture 10).
        """
        bridge = self.bridges.get(self.call_id)
        if not bridge:
            return ""
        legs = [
            self.channels[uid]
            for uid, b in self.bridges.items()
            if b == bridge and uid not in (self.call_id, self.peer_id) and uid in self.channels
        ]
        legs = [name for name in legs if name not in self.departed]
        return legs[-1] if legs else ""

    def remove_channel(self, uid: str, cause: int, text: str) -> None:
        self.channels.pop(uid, None)
        self.bridges.pop(uid, None)
        self.causes[uid] = (cause, text)

    def customer_cause(self) -> tuple[int, str]:
        """The meaningful cause: the ``;2`` (callee) leg's when non-zero, as 03 shows."""
        for uid in (self.peer_id, self.call_id):
            cause = self.causes.get(uid)
            if cause is not None and cause[0]:
                return cause
        return self.causes.get(self.call_id, (0, "Unknown"))

    def failure_event(self, at: datetime) -> CallEvent:
        cause, text = self.customer_cause()
        call_id, ref = self.call_id, self.ref
        if self.outcome is Outcome.FAILED:  # Reason 0: the hangup cause is all there is
            self.outcome = Outcome.from_cause(cause)
        if self.outcome is Outcome.BUSY:
            return CallBusy(call_id=call_id, at=at, ref=ref, cause=17)
        if self.outcome is Outcome.CONGESTION:
            return CallBusy(call_id=call_id, at=at, ref=ref, cause=34)
        if self.outcome is Outcome.NO_ANSWER:
            return CallNoAnswer(call_id=call_id, at=at, ref=ref, cause=19)
        return CallFailed(call_id=call_id, at=at, ref=ref, cause=cause, cause_text=text)

    def hung_up_event(self, at: datetime) -> CallHungUp:
        cause, text = self.customer_cause()
        if self.outcome is Outcome.LOST:
            # No reason and no cause: the call machine closes it "interrupted" (result
            # unknown), never "failed": an outage must not burn the lead (issue 9 item 3).
            return CallHungUp(
                call_id=self.call_id,
                at=at,
                ref=self.ref,
                party=HangupParty.UNKNOWN,
                cause=0,
                cause_text="ended while AMI was disconnected",
            )
        if self.shut_down:
            # The legs' causes say nothing true (06: 26 "Answered elsewhere", 0): Asterisk
            # gave no Q.850 cause, it ended the call itself.
            return CallHungUp(
                call_id=self.call_id,
                at=at,
                ref=self.ref,
                party=HangupParty.SYSTEM,
                cause=0,
                cause_text="cut off: Asterisk shut down",
            )
        if self.hangup_by_us:
            party = HangupParty.SYSTEM
        elif self.outcome is not Outcome.ANSWERED or not self.first_hangup_uid:
            party = HangupParty.UNKNOWN
        elif self.first_hangup_uid in (self.call_id, self.peer_id):
            party = HangupParty.CUSTOMER
        else:
            party = HangupParty.AGENT
        if party is HangupParty.CUSTOMER and self.saw_gap and not self.agent_id:
            # Its XubaoAbandon may have been lost in the outage: never claim the customer
            # ended a call that waited for an agent (that would take it out of the abandon
            # rate); unknown counts it as abandoned, the safe side.
            party = HangupParty.UNKNOWN
        return CallHungUp(
            call_id=self.call_id, at=at, ref=self.ref, party=party, cause=cause, cause_text=text
        )
