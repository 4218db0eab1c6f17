"""Turns AMI events into the port's call events: pure, no I/O, time from the clock.

A call is found by its id: our Originate sets ``ChannelId: <call_id>`` and
``OtherChannelId: <call_id>-peer``, so ``Uniqueid``/``Linkedid`` equal the call id on every
leg, agent legs included (02); ChanSpy events carry it as ``SpyeeLinkedid`` (04).

Rules taken from the fixtures:
* ``OriginateResponse`` gives the outcome (``Reason`` 4 answer, 5 busy, 8 congestion,
  3 no answer, 0 anything else); it may come before, between or after the Hangups (03),
  so failure events wait until every leg is gone and its cause is known. The Q.850 cause
  of busy/congestion is on the ``;2`` leg, ``;1`` says 0 (03 table). A successful one may
  even come before the call's first ``Newchannel`` (08): it counts as the ``;1`` leg.
* The call ends when its last live leg hangs up: exactly one ``CallHungUp``, whatever
  duplicates arrive (the doubled ``DialEnd CANCEL`` of 02 changes nothing here).
* A hangup ends MixMonitor without a ``MixMonitorStop`` (04): the recording is reported
  stopped before ``CallHungUp``. A MixMonitor the dialplan started is reported with the
  path of its contract (``dialer.asterisk.recording``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from dialer.asterisk.calls_state import SOFTHANGUP_SHUTDOWN, CallState, Outcome
from dialer.asterisk.messages import Message
from dialer.asterisk.recording import contract_path, relative_path
from dialer.asterisk.seats import InterfaceTemplate, seat_status
from dialer.telephony.events import (
    AnswerKind,
    BackendRef,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallRinging,
    ConsultChanged,
    CustomerOptedOut,
    PortEvent,
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
)
from dialer.telephony.port import OriginateRequest
from renewals.clock import Clock

__all__ = ["CallTracker", "PortEvent"]

_AMD = {"HUMAN": AnswerKind.HUMAN, "MACHINE": AnswerKind.MACHINE}
_FINISHED_MEMORY = 100_000


def _int(value: str, default: int = 0) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def _opted_out(call_id: str, m: Message, at: datetime) -> CustomerOptedOut:
    """``UserEvent: XubaoOptOut`` (07): the digit pressed during the safe message."""
    ref = BackendRef(
        channel=m.get("Channel"), uniqueid=m.get("Uniqueid"), linkedid=m.get("Linkedid")
    )
    return CustomerOptedOut(call_id=call_id, at=at, ref=ref, digit=m.get("Digit") or "9")


@dataclass(slots=True)
class _Spy:
    call_id: str
    supervisor: str
    mode: str
    started: bool = False


@dataclass(slots=True, kw_only=True)
class CallTracker:
    """Every call we placed, from Originate to ``CallHungUp``."""

    clock: Clock
    agents: InterfaceTemplate
    wait_for_amd: bool = True
    _calls: dict[str, CallState] = field(init=False, default_factory=dict)
    _by_uid: dict[str, str] = field(init=False, default_factory=dict)
    _finished: OrderedDict[str, None] = field(init=False, default_factory=OrderedDict)
    _spies: dict[str, _Spy] = field(init=False, default_factory=dict)
    seq: int = field(
        init=False, default=0
    )  # messages handled so far; orders a listing against the live stream

    # ----- what the adapter tells us -------------------------------------------------
    def knows(self, call_id: str) -> bool:
        return call_id in self._calls or call_id in self._finished

    def register(self, request: OriginateRequest) -> bool:
        """Track a new call; False when the id is already known (Originate is idempotent)."""
        if self.knows(request.call_id):
            return False
        call = CallState(call_id=request.call_id, request=request)
        self._calls[call.call_id] = call
        self._by_uid[call.call_id] = call.call_id
        self._by_uid[call.peer_id] = call.call_id
        return True

    def forget(self, call_id: str) -> None:
        """The Originate was never accepted: the call does not exist."""
        call = self._calls.pop(call_id, None)
        if call is not None:
            self._by_uid.pop(call.call_id, None)
            self._by_uid.pop(call.peer_id, None)

    def get(self, call_id: str) -> CallState | None:
        return self._calls.get(call_id)

    def active(self) -> list[CallState]:
        return list(self._calls.values())

    def link_lost(self) -> None:
        """The AMI link dropped: the live calls may miss events until the re-sync."""
        for call in self._calls.values():
            call.saw_gap = True

    def expect_spy(self, spyer_uid: str, *, call_id: str, supervisor: str, mode: str) -> None:
        self._spies[spyer_uid] = _Spy(call_id=call_id, supervisor=supervisor, mode=mode)

    # ----- AMI events in, port events out -------------------------------------------
    def handle(self, message: Message) -> list[PortEvent]:
        self.seq += 1
        name = message.event
        if name == "QueueMemberStatus":
            return self.seats([message])
        if name in ("ChanSpyStart", "ChanSpyStop"):
            return self._on_spy(message, started=name == "ChanSpyStart")
        handler = _HANDLERS.get(name)
        if handler is None:  # most events (VarSet, Newexten, DeviceStateChange...) stop here
            return []
        call = self._find(message)
        if call is None:
            return self._untracked(message)
        out: list[PortEvent] = []
        handler(self, call, message, out)
        if call.transferring:  # published by the control, after its CallTransferred
            call.pending += [e for e in out if isinstance(e, CallBridged)]
            out = [e for e in out if not isinstance(e, CallBridged)]
        if call.consult_starting:  # after the control's ConsultChanged(active=True)
            call.pending += [e for e in out if isinstance(e, ConsultChanged)]
            out = [e for e in out if not isinstance(e, ConsultChanged)]
        self._maybe_finish(call, out)
        return out

    def _untracked(self, message: Message) -> list[PortEvent]:
        """An opt-out is a legal obligation even for a call this process did not place (it
        restarted meanwhile): it is published with the dialplan's ``CallId``."""
        if message.event != "UserEvent" or message.get("UserEvent") != "XubaoOptOut":
            return []
        call_id = message.get("CallId")
        return [_opted_out(call_id, message, self.clock.now())] if call_id else []

    def _find(self, message: Message) -> CallState | None:
        for key in ("Linkedid", "Uniqueid", "DestLinkedid", "DestUniqueid"):
            value = message.get(key)
            if value:
                call_id = self._by_uid.get(value, value)
                call = self._calls.get(call_id)
                if call is not None:
                    return call
        return None

    def _ensure_answered(
        self, call: CallState, out: list[PortEvent], kind: AnswerKind, at: datetime | None = None
    ) -> None:
        call.outcome = call.outcome or Outcome.ANSWERED
        if not call.answered_sent:
            call.answered_sent = True
            when = at or self.clock.now()
            out.append(CallAnswered(call_id=call.call_id, at=when, ref=call.ref, kind=kind))

    def _on_newchannel(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        call.add_channel(m.get("Uniqueid"), m.get("Channel"), seq=self.seq)
        self._by_uid[m.get("Uniqueid")] = call.call_id

    def _on_dial_state(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        if m.get("DestUniqueid") != call.call_id or m.get("DialStatus") != "RINGING":
            return
        if not call.ringing_sent and not call.outcome:
            call.ringing_sent = True
            out.append(CallRinging(call_id=call.call_id, at=self.clock.now(), ref=call.ref))

    def _on_originate_response(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        if m.get("Uniqueid") != call.call_id or call.outcome:
            return
        reason = _int(m.get("Reason"), -1)
        if m.response.lower() == "success" or reason == 4:
            call.outcome = Outcome.ANSWERED
            call.answered_at = self.clock.now()
            # With an instant answer this may come before the first Newchannel (08): the
            # answered ";1" leg it names is live, so "no leg left" cannot end the call.
            if call.call_id not in call.channels and call.call_id not in call.causes:
                call.add_channel(call.call_id, m.get("Channel"), seq=self.seq)
            if not self.wait_for_amd:
                self._ensure_answered(call, out, AnswerKind.UNKNOWN)
        else:
            call.outcome = Outcome.from_reason(reason)

    def _on_user_event(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        user_event = m.get("UserEvent")
        if user_event == "XubaoAmd":
            kind = _AMD.get(m.get("AmdStatus").upper(), AnswerKind.UNKNOWN)
            self._ensure_answered(call, out, kind)
        elif user_event == "XubaoAbandon":
            self._abandon(call, out)
        elif user_event == "XubaoOptOut":
            out.append(_opted_out(call.call_id, m, self.clock.now()))
        elif user_event == "XubaoRecording" and not call.recording_active:
            call.recording_path = relative_path(m.get("Path")) or call.recording_path

    def _on_queue_join(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        self._ensure_answered(call, out, AnswerKind.UNKNOWN)
        call.queued_at = self.clock.monotonic()

    def _on_queue_abandon(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        # The CUSTOMER hung up while waiting in the queue, which Queue() leaves at the connect
        # limit: not an abandon by the dialer, no safe message. Its hang-up ends the call.
        self._ensure_answered(call, out, AnswerKind.UNKNOWN)

    def _abandon(self, call: CallState, out: list[PortEvent], wait_s: float = -1.0) -> None:
        if call.agent_id or call.abandoned_sent:
            return
        self._ensure_answered(call, out, AnswerKind.UNKNOWN)
        call.abandoned_sent = True
        if wait_s < 0:
            queued = call.queued_at
            wait_s = self.clock.monotonic() - queued if queued is not None else 0.0
        out.append(
            CallAbandoned(call_id=call.call_id, at=self.clock.now(), ref=call.ref, wait_s=wait_s)
        )

    def _on_agent_connect(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        if call.agent_id:
            return
        self._ensure_answered(call, out, AnswerKind.UNKNOWN)
        interface = m.get("Interface")
        call.agent_id = self.agents.parse(interface) or interface
        call.agent_channel = m.get("DestChannel")
        out.append(
            CallBridged(
                call_id=call.call_id,
                at=self.clock.now(),
                ref=call.ref,
                agent_id=call.agent_id,
                wait_s=float(_int(m.get("HoldTime"))),
            )
        )

    def _on_bridge_enter(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        uid = m.get("Uniqueid")
        if uid in call.channels:
            call.bridges[uid] = m.get("BridgeUniqueid")
        partner = call.customer_partner()
        if call.agent_id and partner and partner != call.agent_channel:
            # The agent's side of the bridge changed under the same agent: after an attended
            # transfer the transfer's Local channel is optimized away (fixture 10).
            call.agent_channel = partner
        # A preview call reaches its agent by Dial() in the route context, not by a queue:
        # there is no AgentConnect, the bridge filling up is the connection.
        # A transferred customer reaches its new seat the same way (controls.py).
        agent = call.transfer_to or (call.request.agent_id if call.request is not None else "")
        if not agent or call.agent_id or _int(m.get("BridgeNumChannels")) < 2:
            return
        self._ensure_answered(call, out, AnswerKind.UNKNOWN)
        call.agent_id, call.transfer_to = agent, ""
        call.agent_channel = call.agent_channel or partner or call.newest_agent_leg()
        out.append(
            CallBridged(call_id=call.call_id, at=self.clock.now(), ref=call.ref, agent_id=agent)
        )

    def _on_bridge_leave(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        uid = m.get("Uniqueid")
        if call.bridges.get(uid) == m.get("BridgeUniqueid"):
            del call.bridges[uid]

    def _on_unhold(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        """The agent's leg back from an attended transfer's hold: the consultation is over.

        ``CancelAtxfer`` ends in this ``Unhold`` (fixture 10), and so does a consultation that
        Asterisk ends itself (the target did not answer within ``atxfernoanswertimeout`` or
        hung up): the customer is back with the agent. Left set, the console would still
        offer "complete", whose hang-up of the agent's leg would then end the customer's call.
        """
        if not call.consult or m.get("Channel") != call.agent_channel:
            return
        target, call.consult = call.consult, ""
        out.append(
            ConsultChanged(
                call_id=call.call_id, at=self.clock.now(), ref=call.ref, active=False, target=target
            )
        )

    def _on_mixmonitor(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        started = m.event == "MixMonitorStart"
        if started and not call.recording_path:
            # The dialplan started it (not start_recording): its contract gives the file.
            call.recording_path = contract_path(call.call_id, self.clock.now())
        if not call.recording_path or call.recording_active == started:
            return
        if started:  # the dialplan records only answered calls
            self._ensure_answered(call, out, AnswerKind.UNKNOWN)
        call.recording_active = started
        kind = RecordingStarted if started else RecordingStopped
        out.append(
            kind(call_id=call.call_id, at=self.clock.now(), ref=call.ref, path=call.recording_path)
        )

    def _on_soft_hangup_request(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        # Here ``Cause`` is the soft-hangup reason, not Q.850: 4 is Asterisk shutting down.
        if _int(m.get("Cause")) == SOFTHANGUP_SHUTDOWN:
            call.shut_down = True

    def _on_hangup_request(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        call.note_hangup_request(m.get("Uniqueid"), _int(m.get("Cause")))

    def _on_hangup(self, call: CallState, m: Message, out: list[PortEvent]) -> None:
        uid = m.get("Uniqueid")
        cause = _int(m.get("Cause"))
        call.note_hangup_request(uid, cause)
        call.remove_channel(uid, cause, m.get("Cause-txt"))

    def _on_spy(self, m: Message, *, started: bool) -> list[PortEvent]:
        spyer = m.get("SpyerUniqueid")
        spy = self._spies.get(spyer)
        if spy is None:
            call_id = self._by_uid.get(m.get("SpyeeLinkedid"), m.get("SpyeeLinkedid"))
            if call_id not in self._calls:
                return []
            spy = _Spy(call_id=call_id, supervisor=m.get("SpyerCallerIDNum"), mode="listen")
            self._spies[spyer] = spy
        call = self._calls.get(spy.call_id)
        if call is None or spy.started == started:
            return []
        spy.started = started
        now = self.clock.now()
        if started:
            return [
                SpyStarted(
                    call_id=call.call_id,
                    at=now,
                    ref=call.ref,
                    supervisor=spy.supervisor,
                    mode=spy.mode,
                )
            ]
        self._spies.pop(spyer, None)
        return [SpyStopped(call_id=call.call_id, at=now, ref=call.ref, supervisor=spy.supervisor)]

    def seats(self, members: list[Message]) -> list[PortEvent]:
        """Seat statuses from ``QueueMemberStatus`` events or ``QueueStatus`` list items."""
        now = self.clock.now()
        found = (seat_status(m, interfaces=self.agents, at=now) for m in members)
        return [seat for seat in found if seat is not None]

    # ----- re-sync after a reconnect -------------------------------------------------
    def resync(self, channels: list[Message], *, since: int) -> list[PortEvent]:
        """Rebuild every tracked call from a ``CoreShowChannels`` listing.

        Events missed while disconnected are gone for good; what matters is that no call
        is lost (a call that ended meanwhile gets its outcome and ``CallHungUp`` now) and
        none is doubled (a call still up keeps its state; nothing is re-sent). ``since`` is
        ``seq`` when the listing was requested: events handled after it are newer than it.
        """
        by_call: dict[str, list[Message]] = {}
        for item in channels:
            call_id = self._by_uid.get(item.get("Linkedid"), item.get("Linkedid"))
            if call_id in self._calls:
                by_call.setdefault(call_id, []).append(item)
        out: list[PortEvent] = []
        for call in list(self._calls.values()):
            listed = by_call.get(call.call_id, [])
            legs = {m.get("Uniqueid"): m.get("Channel") for m in listed}
            call.replace_channels(legs, since=since)
            for uid in call.channels:
                self._by_uid[uid] = call.call_id
            root = next((m for m in listed if m.get("Uniqueid") == call.call_id), None)
            if root is not None and root.get("ChannelStateDesc") == "Up":
                self._ensure_answered(call, out, AnswerKind.UNKNOWN)
            if not call.channels and not call.outcome:
                call.outcome = Outcome.LOST
            self._maybe_finish(call, out)
        return out

    # ----- the end of a call ---------------------------------------------------------
    def _maybe_finish(self, call: CallState, out: list[PortEvent]) -> None:
        if call.finished or call.channels or not call.outcome:
            return
        now = self.clock.now()
        if call.outcome is Outcome.ANSWERED:
            # An answer never reported (no XubaoAmd: the customer was gone before AMD
            # ended, 09) is dated by its OriginateResponse, never after the hang-up.
            self._ensure_answered(call, out, AnswerKind.UNKNOWN, at=call.answered_at or now)
        elif call.outcome is not Outcome.LOST:  # a lost call's reason was never seen
            out.append(call.failure_event(now))
        if call.recording_active:
            call.recording_active = False
            out.append(
                RecordingStopped(
                    call_id=call.call_id, at=now, ref=call.ref, path=call.recording_path
                )
            )
        out.append(call.hung_up_event(now))
        self._close(call)

    def _close(self, call: CallState) -> None:
        call.finished = True
        self._calls.pop(call.call_id, None)
        for uid in [u for u, c in self._by_uid.items() if c == call.call_id]:
            del self._by_uid[uid]
        self._finished[call.call_id] = None
        while len(self._finished) > _FINISHED_MEMORY:
            self._finished.popitem(last=False)


_Handler = Callable[[CallTracker, CallState, Message, list[PortEvent]], None]
_HANDLERS: dict[str, _Handler] = {
    "Newchannel": CallTracker._on_newchannel,
    "DialState": CallTracker._on_dial_state,
    "OriginateResponse": CallTracker._on_originate_response,
    "UserEvent": CallTracker._on_user_event,
    "QueueCallerJoin": CallTracker._on_queue_join,
    "QueueCallerAbandon": CallTracker._on_queue_abandon,
    "AgentConnect": CallTracker._on_agent_connect,
    "BridgeEnter": CallTracker._on_bridge_enter,
    "BridgeLeave": CallTracker._on_bridge_leave,
    "Unhold": CallTracker._on_unhold,
    "MixMonitorStart": CallTracker._on_mixmonitor,
    "MixMonitorStop": CallTracker._on_mixmonitor,
    "SoftHangupRequest": CallTracker._on_soft_hangup_request,
    "HangupRequest": CallTracker._on_hangup_request,
    "Hangup": CallTracker._on_hangup,
}
