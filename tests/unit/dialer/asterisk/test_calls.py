"""The call tracker on fixture 02 messages, plus the dialplan's own UserEvents."""

from __future__ import annotations

from datetime import UTC, datetime

from dialer.asterisk.calls import CallTracker
from dialer.asterisk.framing import AmiFramer
from dialer.asterisk.messages import Message
from dialer.asterisk.seats import InterfaceTemplate
from dialer.calls import CallMachine, Outcome
from dialer.telephony.events import (
    AnswerKind,
    CallAbandoned,
    CallAnswered,
    CallBusy,
    CallEvent,
    CallFailed,
    CallHungUp,
    ConsultChanged,
    CustomerOptedOut,
    HangupParty,
    RecordingStarted,
)
from dialer.telephony.port import OriginateRequest
from tests.ami_transcripts import load

CALL = "dialer-073132-b"
CUSTOMER_LEGS = {CALL, f"{CALL}-peer"}


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 11, 26, 7, 31, tzinfo=UTC)

    def monotonic(self) -> float:
        return 100.0

    async def sleep(self, seconds: float) -> None:
        raise AssertionError("the tracker never sleeps")


def _tracker(*, wait_for_amd: bool = True) -> CallTracker:
    tracker = CallTracker(
        clock=FixedClock(),
        agents=InterfaceTemplate("Local/{agent}@agents/n"),
        wait_for_amd=wait_for_amd,
    )
    request = OriginateRequest(
        call_id=CALL, number="5551001", caller_id="x", ring_timeout_s=30, queue="sales"
    )
    assert tracker.register(request)
    assert not tracker.register(request)
    return tracker


def _fixture_02() -> list[Message]:
    framer = AmiFramer()
    chunks = load("02").recv_chunks("c1")
    return [m for c in chunks for m in framer.feed(c) if isinstance(m, Message)]


def _user_event(name: str, **headers: str) -> Message:
    pairs = [("Event", "UserEvent"), ("UserEvent", name), ("Uniqueid", CALL), ("Linkedid", CALL)]
    return Message.from_pairs(pairs + list(headers.items()))


def _feed(tracker: CallTracker, messages: list[Message]) -> list[object]:
    return [event for m in messages for event in tracker.handle(m)]


def _until(messages: list[Message], event: str) -> int:
    return next(i for i, m in enumerate(messages) if m.event == event) + 1


def test_amd_user_event_gives_the_answer_kind_once() -> None:
    tracker, messages = _tracker(), _fixture_02()
    cut = _until(messages, "OriginateResponse")
    events = _feed(tracker, messages[:cut])
    events += _feed(tracker, [_user_event("XubaoAmd", AmdStatus="MACHINE")])
    events += _feed(tracker, messages[cut:])
    answered = [e for e in events if isinstance(e, CallAnswered)]
    assert [a.kind for a in answered] == [AnswerKind.MACHINE]


def test_without_amd_wait_the_answer_is_reported_at_originate_response() -> None:
    tracker, messages = _tracker(wait_for_amd=False), _fixture_02()
    events = _feed(tracker, messages[: _until(messages, "OriginateResponse")])
    assert isinstance(events[-1], CallAnswered)


def _abandoned_tail(messages: list[Message]) -> list[Message]:
    tail = messages[_until(messages, "AgentComplete") :]
    return [
        m for m in tail if m.event.endswith("Request") or m.event == "Hangup"
        if m.get("Uniqueid") in CUSTOMER_LEGS
    ]  # fmt: skip


def test_queue_leave_then_xubao_abandon_is_an_abandoned_call() -> None:
    tracker, messages = _tracker(), _fixture_02()
    events = _feed(tracker, messages[: _until(messages, "QueueCallerJoin")])
    leave = next(m for m in messages if m.event == "QueueCallerLeave")
    events += _feed(tracker, [leave, _user_event("XubaoAbandon")])
    events += _feed(tracker, _abandoned_tail(messages))
    assert [type(e).__name__ for e in events] == [
        "CallRinging",
        "CallAnswered",
        "CallAbandoned",
        "CallHungUp",
    ]
    hung_up = events[-1]
    assert isinstance(hung_up, CallHungUp) and hung_up.party is HangupParty.CUSTOMER


def test_queue_caller_abandon_is_the_customer_hanging_up_item7() -> None:
    # Item 7: QueueCallerAbandon = the customer left the queue (inside the connect limit, at
    # which Queue() returns): no safe message was played, so no CallAbandoned.
    tracker, messages = _tracker(), _fixture_02()
    _feed(tracker, messages[: _until(messages, "QueueCallerJoin")])
    abandon = Message.from_pairs(
        [("Event", "QueueCallerAbandon"), ("Uniqueid", CALL), ("Linkedid", CALL), ("HoldTime", "1")]
    )
    events = _feed(tracker, [abandon, *_abandoned_tail(messages)])
    assert not [e for e in events if isinstance(e, CallAbandoned)]
    hung_up = events[-1]
    assert isinstance(hung_up, CallHungUp) and hung_up.party is HangupParty.CUSTOMER


def test_events_after_the_end_and_unknown_calls_are_ignored() -> None:
    tracker, messages = _tracker(), _fixture_02()
    events = _feed(tracker, messages + messages)  # a full duplicate of every event
    assert sum(isinstance(e, CallHungUp) for e in events) == 1
    assert tracker.knows(CALL) and tracker.get(CALL) is None


def test_agent_interface_template_round_trip() -> None:
    template = InterfaceTemplate("PJSIP/{agent}")
    assert template.render("1001") == "PJSIP/1001"
    assert template.parse("PJSIP/1001") == "1001"
    assert template.parse("Local/1001@agents/n") is None


def test_resync_keeps_newer_stream_facts_over_an_older_listing_02() -> None:
    tracker, messages = _tracker(), _fixture_02()
    _feed(tracker, messages[: _until(messages, "AgentConnect")])
    listing = [m for m in messages if m.event == "CoreShowChannel"]
    since = tracker.seq
    # After the listing was asked for, the stream already said the agent's ;2 leg hung up.
    agent_leg = next(m for m in listing if m.get("Channel").endswith("agents-00000002;2"))
    hangup = Message.from_pairs(
        [("Event", "Hangup"), ("Uniqueid", agent_leg.get("Uniqueid")), ("Linkedid", CALL),
         ("Cause", "16"), ("Cause-txt", "Normal Clearing")]
    )  # fmt: skip
    _feed(tracker, [hangup])
    assert tracker.resync(listing, since=since) == []
    state = tracker.get(CALL)
    assert state is not None
    assert agent_leg.get("Uniqueid") not in state.channels
    assert len(state.channels) == 3


def test_resync_closes_a_call_that_ended_while_disconnected() -> None:
    tracker, messages = _tracker(), _fixture_02()
    _feed(tracker, messages[: _until(messages, "AgentConnect")])
    events = tracker.resync([], since=tracker.seq)
    assert [type(e).__name__ for e in events] == ["CallHungUp"]


def test_a_call_not_tracked_here_is_judged_from_the_channel_listing_02() -> None:
    from dialer.asterisk.adapter import _live_state

    listing = [m for m in _fixture_02() if m.event == "CoreShowChannel"]
    assert len(listing) == 4  # the customer's Local pair and the agent's, mid-call
    assert _live_state(listing, None) == "bridged"
    ringing = [Message.from_pairs([("ChannelStateDesc", "Ringing"), ("BridgeId", "")])]
    assert _live_state(ringing, None) == "ringing"


def test_a_preview_call_is_bridged_when_the_agent_joins_the_bridge_02() -> None:
    """Preview calls Dial() the agent from the route context: no AgentConnect is sent, so the
    bridge filling up (02's real BridgeEnter events) is what connects the call."""
    tracker = CallTracker(clock=FixedClock(), agents=InterfaceTemplate("Local/{agent}@agents/n"))
    request = OriginateRequest(call_id=CALL, number="5551001", caller_id="x", ring_timeout_s=30,
                               queue="sales", agent_id="1001")  # fmt: skip
    tracker.register(request)
    without_queue = [m for m in _fixture_02() if m.event != "AgentConnect"]
    events = _feed(tracker, without_queue)
    bridged = [e for e in events if type(e).__name__ == "CallBridged"]
    assert [b.agent_id for b in bridged] == ["1001"]  # type: ignore[attr-defined]
    assert [type(e).__name__ for e in events][-1] == "CallHungUp"


def test_optout_userevent_07_of_a_call_placed_before_a_restart_is_still_published() -> None:
    # Item 4: a call this process does not track (it restarted) still reaches do-not-call.
    tracker = _tracker()
    pairs = [("Event", "UserEvent"), ("UserEvent", "XubaoOptOut"), ("Uniqueid", "other"),
             ("Linkedid", "other"), ("CallId", "other"), ("LeadId", "22")]  # fmt: skip
    (event,) = tracker.handle(Message.from_pairs(pairs))
    assert isinstance(event, CustomerOptedOut)
    assert (event.call_id, event.digit, event.ref.linkedid) == ("other", "9", "other")


def test_dialplan_recording_userevent_gives_the_exact_path() -> None:
    # Item 6: XubaoRecording (sent just before MixMonitor) names the file; a path that leaves
    # the recordings root is ignored for the contract's own.
    for path, expected in [
        ("2026-11-25/dialer-073132-b.wav", "2026-11-25/dialer-073132-b.wav"),
        ("../../etc/passwd", f"2026-11-26/{CALL}.wav"),
    ]:
        tracker = _tracker(wait_for_amd=False)
        start = [("Event", "MixMonitorStart"), ("Uniqueid", CALL), ("Linkedid", CALL)]
        out = _feed(tracker, [_user_event("XubaoRecording", Path=path), Message.from_pairs(start)])
        (started,) = [e for e in out if isinstance(e, RecordingStarted)]
        assert started.path == expected


def _pjsip_failure(cause: str, *, response_first: bool) -> list[Message]:
    """The real-SIP order of issue 9 item 9: one PJSIP channel (Uniqueid = our ChannelId),
    ``OriginateResponse`` Failure with ``Reason: 0``, the Q.850 cause only on the Hangup."""
    chan = "PJSIP/13800000001@trunk-00000001"
    new = [("Event", "Newchannel"), ("Channel", chan), ("ChannelStateDesc", "Down"),
           ("Uniqueid", CALL), ("Linkedid", CALL)]  # fmt: skip
    hangup = [("Event", "Hangup"), ("Channel", chan), ("Uniqueid", CALL), ("Linkedid", CALL),
              ("Cause", cause), ("Cause-txt", "")]  # fmt: skip
    response = [("Event", "OriginateResponse"), ("Response", "Failure"), ("Reason", "0"),
                ("Channel", "PJSIP/13800000001@trunk"), ("Uniqueid", CALL)]  # fmt: skip
    tail = [response, hangup] if response_first else [hangup, response]
    return [Message.from_pairs(p) for p in [new, *tail]]


def test_busy_and_congestion_from_the_hangup_cause_when_reason_is_0_item9() -> None:
    for cause, expected in [("17", 17), ("34", 34)]:
        for response_first in (True, False):
            tracker = _tracker()
            events = _feed(tracker, _pjsip_failure(cause, response_first=response_first))
            assert [type(e).__name__ for e in events] == ["CallBusy", "CallHungUp"]
            busy = events[0]
            assert isinstance(busy, CallBusy) and busy.cause == expected
    tracker = _tracker()
    (failed, _) = _feed(tracker, _pjsip_failure("21", response_first=True))
    assert isinstance(failed, CallFailed) and failed.cause == 21  # rejected stays failed


def test_a_ringing_call_that_ended_during_an_outage_is_interrupted_not_failed_02() -> None:
    # Issue 9 item 3: no attempt is closed "failed" for an outage. The call rang (02's bytes
    # up to DialState RINGING), the link dropped, the re-sync no longer lists it.
    tracker, messages = _tracker(), _fixture_02()
    events = _feed(tracker, messages[: _until(messages, "DialState")])
    events += tracker.resync([], since=tracker.seq)
    assert [type(e).__name__ for e in events] == ["CallRinging", "CallHungUp"]
    hung_up = events[-1]
    assert isinstance(hung_up, CallHungUp) and hung_up.cause == 0
    machine = CallMachine(call_id=CALL, dialed_at=hung_up.at)
    for event in events:
        assert isinstance(event, CallEvent)
        machine.apply(event)
    assert machine.outcome is Outcome.INTERRUPTED


def test_a_waiting_call_across_an_outage_is_never_a_customer_hang_up_item7() -> None:
    # Its XubaoAbandon may have been lost while the link was down: the hang-up of a call
    # that waited for an agent is then of unknown party (stored abandoned, the safe side).
    tracker, messages = _tracker(), _fixture_02()
    _feed(tracker, messages[: _until(messages, "QueueCallerJoin")])
    tracker.link_lost()
    events = _feed(tracker, _abandoned_tail(messages))
    hung_up = events[-1]
    assert isinstance(hung_up, CallHungUp) and hung_up.party is HangupParty.UNKNOWN


def _unhold(channel: str) -> Message:
    pairs = [("Event", "Unhold"), ("Channel", channel), ("Uniqueid", CALL), ("Linkedid", CALL)]
    return Message.from_pairs(pairs)


def test_a_consultation_asterisk_ended_itself_is_over_for_the_console() -> None:
    # The target did not answer (atxfernoanswertimeout) or hung up: Asterisk brings the agent
    # back to the customer with the Unhold that CancelAtxfer ends in (fixture 10). Left set,
    # "complete" would hang up the agent's leg, now bridged to the customer alone.
    tracker, messages = _tracker(), _fixture_02()
    _feed(tracker, messages[: _until(messages, "AgentConnect")])
    call = tracker.get(CALL)
    assert call is not None and call.agent_channel
    assert _feed(tracker, [_unhold(call.agent_channel)]) == []  # no consultation: nothing
    call.consult = "agent:1002"
    assert _feed(tracker, [_unhold(call.customer_channel)]) == []  # not the agent's leg
    (ended,) = _feed(tracker, [_unhold(call.agent_channel)])
    assert isinstance(ended, ConsultChanged)
    assert (ended.active, ended.target, call.consult) == (False, "agent:1002", "")
