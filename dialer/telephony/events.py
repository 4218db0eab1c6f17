"""Typed events every telephony backend publishes, in the dialer's own terms.

All events carry our ``call_id`` (minted by the dialer before the originate) and the
backend's own references, so logs and reports can be tied back to Asterisk channels.
Times are timezone-aware UTC datetimes read from the injected clock.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "AnswerKind",
    "BackendRef",
    "CallAbandoned",
    "CallAnswered",
    "CallBridged",
    "CallBusy",
    "CallEvent",
    "CallFailed",
    "CallHoldChanged",
    "CallHungUp",
    "CallMuteChanged",
    "CallNoAnswer",
    "CallRinging",
    "CallTransferred",
    "ConsultChanged",
    "CustomerOptedOut",
    "HangupParty",
    "LinkStatusChanged",
    "PortEvent",
    "RecordingPauseChanged",
    "RecordingStarted",
    "RecordingStopped",
    "SeatStatusChanged",
    "SpyStarted",
    "SpyStopped",
]


class AnswerKind(enum.StrEnum):
    """Who picked up: a person, an answering machine, or not known (no AMD)."""

    HUMAN = "human"
    MACHINE = "machine"
    UNKNOWN = "unknown"


class HangupParty(enum.StrEnum):
    """Which side ended the call."""

    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class BackendRef:
    """The backend's names for one leg: Asterisk channel name and Uniqueid, or the simulator's."""

    channel: str = ""
    uniqueid: str = ""
    linkedid: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEvent:
    """Base of every call event."""

    call_id: str
    at: datetime
    ref: BackendRef = field(default_factory=BackendRef)


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRinging(CallEvent):
    """The customer's phone is ringing."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallAnswered(CallEvent):
    """The customer's line answered; ``kind`` says whether a person or a machine."""

    kind: AnswerKind = AnswerKind.UNKNOWN


@dataclass(frozen=True, slots=True, kw_only=True)
class CallBusy(CallEvent):
    """The line was busy (Q.850 cause 17) or congested (34)."""

    cause: int = 17


@dataclass(frozen=True, slots=True, kw_only=True)
class CallNoAnswer(CallEvent):
    """Rang out without an answer (the ring timeout passed, cause 19)."""

    cause: int = 19


@dataclass(frozen=True, slots=True, kw_only=True)
class CallFailed(CallEvent):
    """The call could not be placed or was rejected; ``cause`` is the Q.850 cause code."""

    cause: int = 0
    cause_text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallBridged(CallEvent):
    """The answered customer is now talking to ``agent_id``; ``wait_s`` is the queue wait."""

    agent_id: str
    wait_s: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CallAbandoned(CallEvent):
    """No agent took the answered call in time; the safe message was played to the customer."""

    wait_s: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerOptedOut(CallEvent):
    """The customer asked never to be called again (a key pressed in the safe message or IVR).

    A legal obligation: the number goes on the do-not-call list as soon as this is seen.
    """

    digit: str = "9"


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingStarted(CallEvent):
    """A recording of this call is being written to ``path`` (relative to the store root)."""

    path: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingStopped(CallEvent):
    """The recording was closed (stopped or the call ended)."""

    path: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SpyStarted(CallEvent):
    """A supervisor's phone is listening to (or whispering into, or barging) the call."""

    supervisor: str
    mode: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SpyStopped(CallEvent):
    """The supervisor's spy leg ended; the call goes on."""

    supervisor: str


# ----- call controls (the agent's buttons; issue 11) ------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CallHoldChanged(CallEvent):
    """The customer was put on hold (hears music) or taken off hold."""

    held: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CallMuteChanged(CallEvent):
    """The agent's voice toward the customer was muted or unmuted."""

    muted: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingPauseChanged(CallEvent):
    """The recording at ``path`` was paused (silence is written) or resumed."""

    paused: bool
    path: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsultChanged(CallEvent):
    """An attended transfer's consultation with ``target`` began (customer on hold) or was
    cancelled (the agent is back with the customer). ``target`` is ``kind:id``."""

    active: bool
    target: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallTransferred(CallEvent):
    """``from_agent`` handed the customer to ``target`` (``kind:id``) and left the call; the
    next ``CallBridged`` names the agent who takes it."""

    from_agent: str
    target: str
    attended: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CallHungUp(CallEvent):
    """The call is over. Always the last event of a call."""

    party: HangupParty = HangupParty.UNKNOWN
    cause: int = 16
    cause_text: str = "Normal Clearing"


@dataclass(frozen=True, slots=True, kw_only=True)
class SeatStatusChanged:
    """A seat's device changed state in the backend (idle, in use, ringing, unavailable)."""

    agent_id: str
    at: datetime
    status: str
    paused: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkStatusChanged:
    """The link to the backend went down, or came back up and finished its re-sync.

    While it is down nothing can be originated: the dialer pauses instead of closing calls as
    failed. ``up`` events come after the backend re-synced (live calls and seats are known).
    """

    up: bool
    at: datetime
    reason: str = ""


PortEvent = CallEvent | SeatStatusChanged | LinkStatusChanged
"""Everything a telephony backend's ``events()`` stream carries."""
