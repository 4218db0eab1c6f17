"""Issue 9 on the bytes of scenarios 06-09: the project's own client on a real Asterisk."""

from __future__ import annotations

import logging

import pytest

from dialer.calls import CallMachine, Outcome
from dialer.errors import BackendUnavailable, OriginateFailed
from dialer.telephony.events import (
    CallAbandoned,
    CallEvent,
    CallHungUp,
    CustomerOptedOut,
    LinkStatusChanged,
    PortEvent,
    RecordingStarted,
    RecordingStopped,
)
from tests.ami_transcripts import load
from tests.integration.dialer.asterisk.lab import (
    LAB_QUEUE,
    TickingClock,
    for_call,
    lab_port,
    lab_request,
    until_hung_up,
)
from tests.integration.dialer.asterisk.replay_server import ConnScript
from tests.integration.dialer.asterisk.scenarios import call_shape
from tests.integration.dialer.asterisk.support import collect_until

CALL_07 = "363ef746a141445789ecf88304e61a69"


async def _safe_message_and_optout_07() -> tuple[list[PortEvent], list[bytes]]:
    ids = ["xubao-1", "xubao-3", "xubao-4", "xubao-5", "xubao-6", "xubao-7"]
    async with lab_port("07", ids) as lab:
        await lab.port.add_seat("1001", queue=LAB_QUEUE, name="坐席1001")
        await lab.port.pause_seat("1001", queue=LAB_QUEUE, paused=True, reason="break")
        await lab.port.originate(lab_request(CALL_07, "15759854071", lead_id="22"))
        seen = await until_hung_up(lab.events, {CALL_07})
        await lab.port.remove_seat("1001", queue=LAB_QUEUE)
        return seen, lab.sent()


async def test_optout_userevent_07() -> None:
    # Item 4: the customer pressed 9 during the safe message; the dialplan said XubaoOptOut.
    seen, _ = await _safe_message_and_optout_07()
    events = for_call(seen, CALL_07)
    (opted,) = [e for e in events if isinstance(e, CustomerOptedOut)]
    assert opted.digit == "9"
    assert opted.ref.channel == "Local/15759854071@lab-customer-00000000;1"
    # The opt-out comes after the abandon (safe message) and before the end of the call.
    names = [type(e).__name__ for e in events]
    assert (
        names.index("CallAbandoned") < names.index("CustomerOptedOut") < names.index("CallHungUp")
    )
    assert any(isinstance(e, CallAbandoned) for e in events)
    assert call_shape(events)[-1] == "CallHungUp(customer,16)"


CALL_06 = "92b2bfa55f10484f82511afe691903ae"
SEATS_06 = ("1001", "1002", "1003")


def _restart_06(**kw: int) -> list[ConnScript]:
    t = load("06")
    return [ConnScript.from_transcript(t, "c1"), ConnScript.from_transcript(t, "c2", **kw)]


async def _restart_run_06() -> tuple[list[PortEvent], list[bytes]]:
    """06 driven as the captured client did; returns the events and the 2nd session's sends."""
    ids = ["xubao-1", "xubao-3", "xubao-4", "xubao-5", "xubao-6", "xubao-7"]
    ids += ["xubao-8", "xubao-9", "xubao-10", "xubao-11", "xubao-12", "xubao-13", "xubao-14"]
    async with lab_port("06", ids, scripts=_restart_06(), backoff_initial_s=0.2) as lab:
        for seat in SEATS_06:
            await lab.port.add_seat(seat, queue=LAB_QUEUE, name=f"坐席{seat}")
        await lab.port.originate(lab_request(CALL_06, "15759854071"))
        seen = await until_hung_up(lab.events, {CALL_06})
        with pytest.raises(BackendUnavailable, match="shutting down"):
            await lab.port.pause_seat("1003", queue=LAB_QUEUE, paused=True, reason="wrap_up")
        seen += await collect_until(lab.events, lambda e: isinstance(e, LinkStatusChanged))
        with pytest.raises(BackendUnavailable):  # never OriginateFailed: the lead goes back
            await lab.port.originate(lab_request("while-down", "13012980601"))
        seen += await collect_until(lab.events, lambda e: isinstance(e, LinkStatusChanged))
        for seat in SEATS_06:
            await lab.port.remove_seat(seat, queue=LAB_QUEUE)  # "Not there" is tolerated
        return seen, lab.sent(1)


async def test_link_down_at_eof_and_up_after_the_resync_06() -> None:
    # Items 3 and 12: Asterisk stops under a bridged call, then starts again. The link is
    # reported down at once (the wrap-up QueuePause answered "Asterisk is shutting down"),
    # an Originate meanwhile raises BackendUnavailable, and it is reported up only after
    # the new session logged in and re-synced (CoreShowChannels, QueueStatus).
    seen, sent = await _restart_run_06()
    links = [(e.up, e.reason) for e in seen if isinstance(e, LinkStatusChanged)]
    assert links == [(False, "Asterisk is shutting down"), (True, "")]
    # The re-sync ran before "up": the second session's first actions after the login.
    assert [m.split(b"\r\n", 1)[0] for m in sent[:3]] == [
        b"Action: Login",
        b"Action: CoreShowChannels",
        b"Action: QueueStatus",
    ]
    up_at = next(i for i, e in enumerate(seen) if isinstance(e, LinkStatusChanged) and e.up)
    assert not [e for e in seen[up_at:] if isinstance(e, CallEvent)]


async def test_call_cut_off_by_the_shutdown_06() -> None:
    # Item 12: the bridged call cut off when Asterisk stopped (SoftHangupRequest Cause 4 on
    # every leg) ended by the system, not with the queue's "Answered elsewhere" (26).
    seen, _ = await _restart_run_06()
    events = for_call(seen, CALL_06)
    assert call_shape(events) == [
        "CallRinging",
        "CallAnswered(human)",
        "RecordingStarted",
        "CallBridged(1003)",
        "RecordingStopped",
        "CallHungUp(system,0)",
    ]
    hung_up = events[-1]
    assert isinstance(hung_up, CallHungUp) and hung_up.cause_text == "cut off: Asterisk shut down"


async def test_originate_answered_shutting_down_is_backend_unavailable_06() -> None:
    # Item 12: the Originate sent in the second Asterisk shuts down is refused with the
    # real reply of 06 ("Asterisk is shutting down", ActionID xubao-7): it raises
    # BackendUnavailable (the lead goes back), not OriginateFailed (stored failed).
    script = ConnScript.from_transcript(load("06"), "c1", only=["xubao-1", "xubao-7"])
    async with lab_port("06", ["xubao-1", "xubao-7", "xubao-14"], scripts=[script]) as lab:
        with pytest.raises(BackendUnavailable) as refused:
            await lab.port.originate(lab_request("refused", "13012980601"))
        assert not isinstance(refused.value, OriginateFailed)
        assert refused.value.call_id == "refused"
        (down,) = await collect_until(lab.events, lambda e: isinstance(e, LinkStatusChanged))
        assert isinstance(down, LinkStatusChanged) and not down.up


CALLS_08 = {
    "9a861988637b4895ac85e35dfe01ec1d": "15759854071",
    "496af2afb81147beaf122ac67bb0992b": "13012980601",
    "dea9840573334b93ac8c09da7f21df18": "18289039931",
    "cd34fe5a73474a9ca4aed5ef784b42c4": "15335890641",
    "65d101e79fe64edb9a64cf33ad4d80f7": "18607143471",
    "57d9f8ea620847b6a571aee93ee72e15": "17665506791",  # OriginateResponse before Newchannel
}


async def _instant_answers_08() -> list[PortEvent]:
    ids = ["xubao-1", "xubao-3", "xubao-4", "xubao-5", *(f"xubao-{n}" for n in range(6, 12))]
    ids += ["xubao-18", "xubao-19", "xubao-20", "xubao-21"]
    async with lab_port("08", ids) as lab:
        for seat in ("1001", "1002", "1003"):
            await lab.port.add_seat(seat, queue=LAB_QUEUE, name=f"坐席{seat}")
        for call_id, number in CALLS_08.items():
            await lab.port.originate(lab_request(call_id, number))
        seen = await until_hung_up(lab.events, set(CALLS_08))
        for seat in ("1001", "1002", "1003"):
            await lab.port.remove_seat(seat, queue=LAB_QUEUE)
    return seen


async def test_originate_response_before_newchannel_keeps_the_call_08() -> None:
    # Item 5: call 6's OriginateResponse (Reason 4) comes before its first Newchannel; the
    # call lives on (XubaoAmd HUMAN, XubaoAbandon, the safe message) until Hangup cause 16.
    seen = await _instant_answers_08()
    shapes = {call_id: call_shape(for_call(seen, call_id)) for call_id in CALLS_08}
    bridged, abandoned = list(CALLS_08)[:3], list(CALLS_08)[3:]
    for call_id in abandoned:
        assert shapes[call_id] == [
            "CallAnswered(human)",
            "RecordingStarted",
            "RecordingStopped",
            "CallAbandoned",
            "CallHungUp(customer,16)",
        ], call_id
    agents = sorted(s for c in bridged for s in shapes[c] if s.startswith("CallBridged"))
    assert agents == ["CallBridged(1001)", "CallBridged(1002)", "CallBridged(1003)"]
    race = for_call(seen, "57d9f8ea620847b6a571aee93ee72e15")
    assert race[-1].ref.channel == "Local/17665506791@lab-customer-00000005;1"


async def test_dialplan_recording_is_linked_07() -> None:
    # Item 6: the dialplan (not start_recording) ran MixMonitor; the adapter reports the file
    # of its contract, RECDIR/<UTC date>/<call_id>.wav, relative to the recordings root.
    seen, _ = await _safe_message_and_optout_07()
    events = for_call(seen, CALL_07)
    (started,) = [e for e in events if isinstance(e, RecordingStarted)]
    (stopped,) = [e for e in events if isinstance(e, RecordingStopped)]
    assert started.path == stopped.path == f"2026-11-26/{CALL_07}.wav"  # the adapter's clock
    names = [type(e).__name__ for e in events]
    assert names.index("CallAnswered") < names.index("RecordingStarted")


CALLS_09 = {
    "ee4bbeb115b34ba19f9628b42c9f6749": "15759854079",
    "22fb4de7395f482483f656877e93082c": "13012980609",
}


async def test_customer_hangs_up_at_once_is_its_own_outcome_09() -> None:
    # Items 7 and 12: answered, then gone 0.5 s later; AMD's HANGUP never reaches AMI (no
    # XubaoAmd), only XubaoHangup. Not an abandon, and answered before it ended.
    ids = ["xubao-1", "xubao-3", "xubao-4", "xubao-5", "xubao-6", "xubao-7"]
    async with lab_port("09", ids, clock=TickingClock()) as lab:
        await lab.port.add_seat("1001", queue=LAB_QUEUE, name="坐席1001")
        seen: list[PortEvent] = []
        for call_id, number in CALLS_09.items():
            await lab.port.originate(lab_request(call_id, number))
            seen += await until_hung_up(lab.events, {call_id})
        await lab.port.remove_seat("1001", queue=LAB_QUEUE)
    for call_id in CALLS_09:
        events = for_call(seen, call_id)
        assert call_shape(events) == ["CallAnswered(unknown)", "CallHungUp(customer,16)"]
        machine = CallMachine(call_id=call_id, dialed_at=events[0].at)
        for event in events:
            machine.apply(event)
        assert machine.outcome is Outcome.CUSTOMER_HUNG_UP
        assert machine.answered_at is not None and machine.ended_at is not None
        assert machine.answered_at < machine.ended_at


def _sent_actions(sent: list[bytes], *names: bytes) -> list[bytes]:
    return [m for m in sent if any(m.startswith(b"Action: " + n + b"\r\n") for n in names)]


async def test_seat_actions_are_the_captured_bytes_07() -> None:
    # Issue 11's AMI part: log-in, pause with its reason and log-out send exactly what the
    # captured client sent, and Asterisk's real replies ("Added interface to queue",
    # "Interface paused successfully", "Removed interface from queue") are success.
    _, sent = await _safe_message_and_optout_07()
    seats = (b"QueueAdd", b"QueuePause", b"QueueRemove")
    assert _sent_actions(sent, *seats) == _sent_actions(load("07").sends("c1"), *seats)
    (pause,) = _sent_actions(sent, b"QueuePause")
    assert b"Paused: true\r\nReason: break\r\n" in pause


async def test_seat_added_with_its_state_interface_07() -> None:
    # Local/{agent}@…/n members follow the phone's state: QueueAdd carries StateInterface.
    script = ConnScript.from_transcript(load("07"), "c1", only=["xubao-1", "xubao-3", "xubao-7"])
    ids = ["xubao-1", "xubao-3", "xubao-7"]
    template = {"agent_state_interface_template": "PJSIP/{agent}"}
    async with lab_port("07", ids, scripts=[script], **template) as lab:
        await lab.port.add_seat("1001", queue=LAB_QUEUE, name="坐席1001")
        (queue_add,) = _sent_actions(lab.sent(), b"QueueAdd")
    assert b"Interface: Local/1001@lab-agents/n\r\n" in queue_add
    assert b"StateInterface: PJSIP/1001\r\n" in queue_add


async def test_debug_frame_logs_never_show_the_customer_number_07(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="dialer"):
        await _safe_message_and_optout_07()
    sent = [r.getMessage() for r in caplog.records if r.getMessage().startswith("sent Originate")]
    assert sent and "Channel=Local/***071@lab-customer" in sent[0]
    assert "15759854071" not in caplog.text


async def test_link_up_only_after_a_complete_resync_06() -> None:
    # Item 3: the first session after the restart dies during its re-sync (on
    # CoreShowChannels): no "up" for it; the next one re-syncs and only then is "up".
    t = load("06")
    scripts = [
        ConnScript.from_transcript(t, "c1"),
        ConnScript.from_transcript(t, "c2", cut_after=2),
        ConnScript.from_transcript(t, "c2"),
    ]
    ids = ["xubao-1", "xubao-3", "xubao-4", "xubao-5", "xubao-6", "xubao-7"]
    ids += ["xubao-8", "xubao-9", "xubao-8", "xubao-9", "xubao-10", "xubao-14"]
    async with lab_port("06", ids, scripts=scripts) as lab:
        for seat in SEATS_06:
            await lab.port.add_seat(seat, queue=LAB_QUEUE, name=f"坐席{seat}")
        await lab.port.originate(lab_request(CALL_06, "15759854071"))
        seen = await until_hung_up(lab.events, {CALL_06})
        with pytest.raises(BackendUnavailable):
            await lab.port.pause_seat("1003", queue=LAB_QUEUE, paused=True, reason="wrap_up")
        for _ in range(2):
            seen += await collect_until(lab.events, lambda e: isinstance(e, LinkStatusChanged))
        third = lab.sent(2)
    links = [e.up for e in seen if isinstance(e, LinkStatusChanged)]
    assert links == [False, True]
    assert len(lab.server.sessions) == 3
    assert [m.split(b"\r\n", 1)[0] for m in third[:3]] == [
        b"Action: Login",
        b"Action: CoreShowChannels",
        b"Action: QueueStatus",
    ]
