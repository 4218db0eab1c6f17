"""AmiTelephony (the TelephonyPort) against the replayed Asterisk 22 transcripts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from dialer.asterisk.adapter import AmiTelephony
from dialer.errors import BackendUnavailable
from dialer.telephony import TelephonyPort
from dialer.telephony.events import (
    CallBridged,
    CallEvent,
    CallHungUp,
    LinkStatusChanged,
    RecordingStarted,
    SeatStatusChanged,
)
from tests.ami_transcripts import load
from tests.integration.dialer.asterisk.replay_server import (
    AmiReplayServer,
    ConnScript,
    ScriptedIds,
)
from tests.integration.dialer.asterisk.scenarios import (
    FAILURE_CALLS_03,
    call_shape,
    fixture_port_events,
    request,
)
from tests.integration.dialer.asterisk.support import SteppingClock, collect_until, settings_for


def _messages(sent: list[bytes], action: bytes) -> list[bytes]:
    return [m for m in sent if m.startswith(b"Action: " + action + b"\r\n")]


async def test_answered_call_queue_agent_and_recording_02() -> None:
    run = await fixture_port_events("02")
    events = run.for_call("dialer-073132-b")
    assert call_shape(events) == [
        "CallRinging",
        "CallAnswered(unknown)",
        "CallBridged(1001)",
        "RecordingStarted",
        "RecordingStopped",
        "CallHungUp(system,16)",
    ]
    bridged = next(e for e in events if isinstance(e, CallBridged))
    assert bridged.wait_s == 1.0
    assert bridged.ref.channel == "Local/5551001@customer-00000000;1"
    started = next(e for e in events if isinstance(e, RecordingStarted))
    assert started.path == "2026/11/26/dialer-073132-b.wav"
    seats = [(e.agent_id, e.status) for e in run.events if isinstance(e, SeatStatusChanged)]
    assert seats == [("1002", "in_use"), ("1001", "in_use"), ("1002", "idle"), ("1001", "idle")]


async def test_duplicate_dialend_cancel_02() -> None:
    # 02 has DialEnd CANCEL twice for the agent 1002 leg: the call still ends exactly once.
    run = await fixture_port_events("02")
    names = [type(e).__name__ for e in run.for_call("dialer-073132-b")]
    assert names.count("CallHungUp") == 1
    assert names.count("CallBridged") == 1
    assert names[-1] == "CallHungUp"


async def test_originate_follows_the_contract_02() -> None:
    run = await fixture_port_events("02")
    (originate,) = _messages(run.sent, b"Originate")
    for line in (
        b"ActionID: c1-originate-002",
        b"Channel: Local/5551001@customer",
        b"Context: dialer",
        b"Exten: sales",
        b"Priority: 1",
        b"Async: true",
        b"Timeout: 30000",
        b"ChannelId: dialer-073132-b",
        b"OtherChannelId: dialer-073132-b-peer",
        b"Variable: XUBAO_CALL_ID=dialer-073132-b",
        b"Variable: XUBAO_CAMPAIGN_ID=42",
        b"Variable: XUBAO_LEAD_ID=5551001",
        b"Variable: XUBAO_QUEUE=sales",
    ):
        assert line + b"\r\n" in originate
    (mixmonitor,) = _messages(run.sent, b"MixMonitor")
    assert b"Channel: Local/5551001@customer-00000000;1\r\n" in mixmonitor
    assert b"Options: D\r\n" in mixmonitor
    assert b"File: /var/spool/asterisk/monitor/2026/11/26/dialer-073132-b.raw\r\n" in mixmonitor
    (hangup,) = _messages(run.sent, b"Hangup")
    assert b"Cause: 16\r\n" in hangup


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("busy", ["CallBusy(17)", "CallHungUp(unknown,17)"]),
        ("congestion", ["CallBusy(34)", "CallHungUp(unknown,34)"]),
        ("noanswer", ["CallRinging", "CallNoAnswer(19)", "CallHungUp(unknown,19)"]),
        ("rejected", ["CallFailed(21)", "CallHungUp(unknown,21)"]),
        ("unallocated", ["CallFailed(1)", "CallHungUp(unknown,1)"]),
        ("no-such-exten", ["CallFailed(0)", "CallHungUp(unknown,0)"]),
        ("no-such-tech", ["CallFailed(0)", "CallHungUp(unknown,0)"]),
    ],
)
async def test_originate_failures_03(name: str, shape: list[str]) -> None:
    run = await fixture_port_events("03")
    assert call_shape(run.for_call(f"orig-073132-{name}")) == shape


async def test_failure_causes_come_from_the_callee_leg_03() -> None:
    run = await fixture_port_events("03")
    assert [call_shape(run.for_call(f"orig-073132-{n}"))[0] for n in FAILURE_CALLS_03] == [
        "CallBusy(17)",
        "CallBusy(34)",
        "CallRinging",
        "CallFailed(21)",
        "CallFailed(1)",
        "CallFailed(0)",
        "CallFailed(0)",
    ]


async def test_chanspy_supervisor_and_recording_ended_by_hangup_04() -> None:
    run = await fixture_port_events("04")
    assert call_shape(run.for_call("dialer-073132-d")) == [
        "CallRinging",
        "CallAnswered(unknown)",
        "CallBridged(1001)",
        "RecordingStarted",
        "SpyStarted",
        "SpyStopped",
        "RecordingStopped",  # no MixMonitorStop in 04: the hangup ended it
        "CallHungUp(system,16)",
    ]
    (spy,) = [m for m in _messages(run.sent, b"Originate") if b"ChanSpy" in m]
    assert b"Data: Local/1001@agents-0000000c;1,qE\r\n" in spy
    assert b"Channel: Local/9000@supervisor/n\r\n" in spy


async def test_second_originate_for_a_known_call_id_does_nothing_02() -> None:
    t = load("02")
    async with AmiReplayServer(scripts=[ConnScript.from_transcript(t, "c1")]) as server:
        port = AmiTelephony(
            settings=settings_for(server.port),
            clock=SteppingClock(),
            action_ids=ScriptedIds(["c1-login-001", "c1-originate-002", "c1-logoff-012"]),
        )
        assert isinstance(port, TelephonyPort)
        await port.start()
        await port.originate(request("dialer-073132-b", "5551001"))
        await port.originate(request("dialer-073132-b", "5551001"))
        await port.close()
        assert len(_messages(server.received(0), b"Originate")) == 1


def _reconnect_scripts(second: ConnScript) -> list[ConnScript]:
    # The first server dies on the MixMonitor (3rd client message) without replying.
    return [ConnScript.from_transcript(load("02"), "c1", cut_after=3), second]


async def _bridged_then_killed(port: AmiTelephony, events: AsyncIterator[object]) -> list[object]:
    await port.start()
    await port.originate(request("dialer-073132-b", "5551001"))
    seen = await collect_until(events, lambda e: isinstance(e, CallBridged))
    with pytest.raises(BackendUnavailable):
        await port.start_recording("dialer-073132-b", path="r.wav")
    return seen + await collect_until(
        events,
        lambda e: isinstance(e, SeatStatusChanged) and (e.agent_id, e.status) == ("1002", "idle"),
    )


async def test_server_killed_mid_call_no_call_lost_or_doubled_02() -> None:
    only = ["c1-login-001", "c1-coreshowchannels-004", "c1-queuestatus-007"]
    only += ["c1-hangup-011", "c1-logoff-012"]
    second = ConnScript.from_transcript(load("02"), "c1", only=only)
    ids = ["c1-login-001", "c1-originate-002", "c1-mixmonitor-003", "c1-login-001"]
    ids += ["c1-coreshowchannels-004", "c1-queuestatus-007", "c1-hangup-011", "c1-logoff-012"]
    async with AmiReplayServer(scripts=_reconnect_scripts(second)) as server:
        port = AmiTelephony(
            settings=settings_for(server.port), clock=SteppingClock(), action_ids=ScriptedIds(ids)
        )
        events = port.events()
        seen = await _bridged_then_killed(port, events)  # waits until the re-sync listed the seats
        await port.hangup("dialer-073132-b")
        seen += await collect_until(events, lambda e: isinstance(e, CallHungUp))
        await port.close()
        calls = [e for e in seen if isinstance(e, CallEvent)]
        assert call_shape(calls) == [
            "CallRinging",
            "CallAnswered(unknown)",
            "CallBridged(1001)",
            "CallHungUp(system,16)",
        ]
        resent = server.received(1)
        assert not _messages(resent, b"MixMonitor") and not _messages(resent, b"Originate")


async def test_call_that_ended_during_the_outage_is_closed_once_by_the_resync() -> None:
    # Reconnect to an idle Asterisk (01): CoreShowChannels lists nothing any more.
    only = ["c1-login-001", "c1-coreshowchannels-005", "c1-queuestatus-006", "c1-logoff-010"]
    second = ConnScript.from_transcript(load("01"), "c1", only=only)
    ids = ["c1-login-001", "c1-originate-002", "c1-mixmonitor-003"]
    ids += ["c1-login-001", "c1-coreshowchannels-005", "c1-queuestatus-006", "c1-logoff-010"]
    async with AmiReplayServer(scripts=_reconnect_scripts(second)) as server:
        port = AmiTelephony(
            settings=settings_for(server.port), clock=SteppingClock(), action_ids=ScriptedIds(ids)
        )
        events = port.events()
        seen = await _bridged_then_killed(port, events)
        await port.close()
        seen += [e async for e in events]
        calls = [e for e in seen if isinstance(e, CallEvent)]
        assert call_shape(calls) == [
            "CallRinging",
            "CallAnswered(unknown)",
            "CallBridged(1001)",
            "CallHungUp(unknown,0)",
        ]


async def test_originate_while_disconnected_fails_and_is_not_remembered() -> None:
    port = AmiTelephony(settings=settings_for(1), clock=SteppingClock())
    for _ in range(2):  # not swallowed as "already known" the second time: never tracked
        with pytest.raises(BackendUnavailable):
            await port.originate(request("never-placed", "5551001"))


async def test_adding_a_seat_that_is_already_there_is_not_an_error_05_c3() -> None:
    t = load("05")
    async with AmiReplayServer(scripts=[ConnScript.from_transcript(t, "c3")]) as server:
        port = AmiTelephony(
            settings=settings_for(server.port),
            clock=SteppingClock(),
            action_ids=ScriptedIds(["c3-login-001", "c3-queueadd-009", "c3-logoff-012"]),
        )
        await port.start()
        await port.add_seat("1001", queue="sales", name="Agent Alice")
        await port.close()
        (queue_add,) = _messages(server.received(0), b"QueueAdd")
        assert b"Interface: Local/1001@agents/n\r\n" in queue_add


async def test_live_calls_mid_call_name_ours_bridged_to_its_agent_02() -> None:
    run = await fixture_port_events("02")
    (live,) = run.live
    assert (live.call_id, live.state, live.agent_id) == ("dialer-073132-b", "bridged", "1001")
    assert live.ref.linkedid == "dialer-073132-b"


async def test_link_down_at_eof_then_up_after_resync_02() -> None:
    # Issue 9 item 3: a plain EOF (no "shutting down" first) takes the link down at once;
    # it is up again only after the new session re-synced.
    only = ["c1-login-001", "c1-coreshowchannels-004", "c1-queuestatus-007"]
    only += ["c1-hangup-011", "c1-logoff-012"]
    second = ConnScript.from_transcript(load("02"), "c1", only=only)
    ids = ["c1-login-001", "c1-originate-002", "c1-mixmonitor-003", "c1-login-001"]
    ids += ["c1-coreshowchannels-004", "c1-queuestatus-007", "c1-hangup-011", "c1-logoff-012"]
    async with AmiReplayServer(scripts=_reconnect_scripts(second)) as server:
        port = AmiTelephony(
            settings=settings_for(server.port), clock=SteppingClock(), action_ids=ScriptedIds(ids)
        )
        events = port.events()
        seen = await _bridged_then_killed(port, events)
        seen += await collect_until(events, lambda e: isinstance(e, LinkStatusChanged) and e.up)
        await port.hangup("dialer-073132-b")
        await port.close()
    links = [(e.up, e.reason) for e in seen if isinstance(e, LinkStatusChanged)]
    assert links == [(False, "server closed the connection"), (True, "")]
