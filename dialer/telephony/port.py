"""The telephony port: what the dialer, IVR and consoles may ask of a telephone network.

Two real backends implement it: ``dialer.asterisk`` (AMI) and ``dialer.simulated``.
Production code depends only on this Protocol and on ``dialer.telephony.events``.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from dialer.telephony.events import BackendRef, PortEvent

__all__ = [
    "LiveCall",
    "OriginateRequest",
    "SpyMode",
    "TargetKind",
    "TelephonyPort",
    "TransferTarget",
]


class SpyMode(enum.StrEnum):
    """Supervisor modes: listen only, whisper to the agent, or join the call."""

    LISTEN = "listen"
    WHISPER = "whisper"
    BARGE = "barge"


class TargetKind(enum.StrEnum):
    """Where a transfer goes: another agent's seat, a supervisor's phone, or back to a queue."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    QUEUE = "queue"


@dataclass(frozen=True, slots=True)
class TransferTarget:
    """A transfer's destination: ``id`` is the seat (extension) or the queue's name."""

    kind: TargetKind
    id: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginateRequest:
    """One outbound call to a customer.

    ``number`` is the full dialable number (never logged unmasked); ``ring_timeout_s`` is in
    seconds (the playbook asks for at least 15); ``queue`` is where an answered call is sent,
    unless ``agent_id`` is set: preview dialing, where the answered call goes to that agent only.
    """

    call_id: str
    number: str
    caller_id: str
    ring_timeout_s: float
    queue: str
    campaign_id: str = ""
    lead_id: str = ""
    agent_id: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveCall:
    """A call the backend still has up; used to re-sync after a restart or reconnect.

    ``state`` is one of ``dialing``, ``ringing``, ``answered``, ``bridged`` (the values of
    ``dialer.calls.CallState`` a live call can be in).
    """

    call_id: str
    ref: BackendRef
    state: str
    agent_id: str = ""


@runtime_checkable
class TelephonyPort(Protocol):
    """An async telephone network. Every method raises a ``dialer.errors.DialerError``."""

    async def start(self) -> None:
        """Connect (and log in); returns when the backend is ready to originate."""

    async def close(self) -> None:
        """Disconnect and release every resource; idempotent."""

    def events(self) -> AsyncIterator[PortEvent]:
        """A new subscription: every event from now on, in order, through a bounded queue."""
        ...

    async def originate(self, request: OriginateRequest) -> None:
        """Place the call. Idempotent on ``call_id``: a second request never dials twice."""

    async def hangup(self, call_id: str, *, cause: int = 16) -> None:
        """Hang the whole call up with a Q.850 cause."""

    async def route_to_agent(self, call_id: str, agent_id: str) -> None:
        """Send an answered call straight to one agent's seat (preview dialing)."""

    async def add_seat(self, agent_id: str, *, queue: str, name: str = "") -> None:
        """Make the agent's phone a member of the campaign queue."""

    async def pause_seat(
        self, agent_id: str, *, queue: str, paused: bool, reason: str = ""
    ) -> None:
        """Pause (no new calls) or unpause the agent's seat."""

    async def remove_seat(self, agent_id: str, *, queue: str) -> None:
        """Take the agent's phone out of the queue."""

    async def start_recording(self, call_id: str, *, path: str) -> None:
        """Record the call in stereo (agent and customer on separate channels) to ``path``."""

    async def stop_recording(self, call_id: str) -> None:
        """Stop the call's recording; the call goes on."""

    async def spy(self, call_id: str, *, supervisor: str, mode: SpyMode) -> None:
        """Ring the supervisor's phone and connect it to the call in ``mode``."""

    async def play(self, call_id: str, *, message: str) -> None:
        """Play a named prompt to the customer."""

    async def live_calls(self) -> list[LiveCall]:
        """The calls the backend has up now, ours only (those carrying our call id)."""
        ...

    # ----- call controls: the agent's buttons on a bridged call (issue 11) -------------
    # Each publishes its event (``CallHoldChanged``, ``CallMuteChanged``, ``ConsultChanged``,
    # ``CallTransferred``, ``RecordingPauseChanged``) once the backend has done it.

    async def hold(self, call_id: str, *, held: bool) -> None:
        """Put the customer on hold (music) or take them off hold, back to the agent."""

    async def mute(self, call_id: str, *, muted: bool) -> None:
        """Mute or unmute the agent's voice toward the customer (the agent still hears)."""

    async def transfer(self, call_id: str, target: TransferTarget) -> None:
        """Blind transfer: the customer goes to ``target``, the agent leaves the call."""

    async def start_consult(self, call_id: str, target: TransferTarget) -> None:
        """Attended transfer, step 1: the customer is held while the agent talks to ``target``."""

    async def complete_consult(self, call_id: str) -> None:
        """Attended transfer, step 2: the customer is joined to the target, the agent leaves."""

    async def cancel_consult(self, call_id: str) -> None:
        """Abandon the consultation: the target's leg ends, the agent is back with the customer."""

    async def pause_recording(self, call_id: str, *, paused: bool) -> None:
        """Pause the call's recording (silence is recorded: the file keeps its length) or resume."""
