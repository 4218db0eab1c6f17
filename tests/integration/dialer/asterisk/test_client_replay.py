"""The AMI client against a loopback server replaying the real transcripts."""

from __future__ import annotations

import asyncio
import socket

import pytest

from dialer.asterisk import actions
from dialer.asterisk.actions import NO_ACTION_ID, Action
from dialer.asterisk.client import AmiClient
from dialer.errors import ActionFailed, ActionTimeout, AuthenticationFailed, BackendUnavailable
from tests.ami_transcripts import load
from tests.integration.dialer.asterisk.replay_server import (
    AmiReplayServer,
    ConnScript,
    ScriptedIds,
)
from tests.integration.dialer.asterisk.support import SteppingClock, collect_until, settings_for


def _client(port: int, ids: list[str], **overrides: object) -> AmiClient:
    return AmiClient(
        settings=settings_for(port, **overrides),
        clock=SteppingClock(),
        action_ids=ScriptedIds(ids),
    )


async def test_login_ping_lists_and_command_output_01() -> None:
    t = load("01")
    async with AmiReplayServer(scripts=[ConnScript.from_transcript(t, "c1")]) as server:
        ids = [i for i in t.sent_action_ids("c1") if i]
        client = _client(server.port, ids)
        events = client.subscribe()
        await client.start()
        assert client.version == "11.0.0"
        pong = await client.request(actions.ping())
        assert pong.get("Ping") == "Pong" and pong.action_id == "c1-ping-002"
        anonymous = await client.request(Action("Ping", action_id=NO_ACTION_ID))
        assert anonymous.action_id == "" and anonymous.get("Ping") == "Pong"
        settings = await client.request(Action("CoreSettings"))
        assert settings.get("AsteriskVersion") == "22.10.1"
        assert settings.get("SystemName") == ""  # an empty value is a value
        await client.request(Action("CoreStatus"))
        channels = await client.request_list(actions.core_show_channels())
        assert channels.items == () and channels.complete is not None
        assert channels.complete.get("ListItems") == "0"
        queues = await client.request_list(actions.queue_status())
        assert [m.event for m in queues.items] == ["QueueParams", "QueueMember", "QueueMember"]
        summary = await client.request_list(Action("QueueSummary", (("Queue", "sales"),)))
        assert [m.event for m in summary.items] == ["QueueSummary"]
        version = await client.request(actions.command("core show version"))
        assert version.get("Output").startswith("Asterisk 22.10.1")
        queue_show = await client.request(actions.command("queue show sales"))
        assert len(queue_show.get_all("Output")) > 3
        await client.close()
        unsolicited = await collect_until(events, lambda e: False, timeout_s=1)
        assert [m.event for m in unsolicited] == ["FullyBooted", "SuccessfulAuth"]
        sent = server.received(0)
        # Our Login is the captured one plus the Events: class list.
        events_header = b"\r\nEvents: call,agent,user,system\r\n\r\n"
        assert sent[0] == t.sends("c1")[0].replace(b"\r\n\r\n", events_header)


async def test_wrong_password_fails_start_05_c1() -> None:
    t = load("05")
    async with AmiReplayServer(scripts=[ConnScript.from_transcript(t, "c1")]) as server:
        client = _client(server.port, ["c1-login-001"], secret="wrong-password")
        with pytest.raises(AuthenticationFailed):
            await client.start()
        assert not client.connected
        assert b"wrong-password" in server.received(0)[0]


async def test_md5_challenge_login_05_c5() -> None:
    t = load("05")
    async with AmiReplayServer(scripts=[ConnScript.from_transcript(t, "c5")]) as server:
        ids = ["c5-challenge-001", "c5-login-002", "c5-logoff-003"]
        client = _client(server.port, ids, md5_login=True)
        await client.start()
        assert client.connected
        await client.close()
        login = server.received(0)[1]
        assert b"Key: 2d3e87242eaaf7b02956405b7b2438f2\r\n" in login  # the captured Key
        assert b"Secret" not in login


async def test_error_responses_become_action_failed_05_c3() -> None:
    t = load("05")
    async with AmiReplayServer(scripts=[ConnScript.from_transcript(t, "c3")]) as server:
        ids = ["c3-login-001", "c3-nosuchaction-002", "c3-noaction", "c3-queueadd-009"]
        ids += ["c3-command-011", "c3-logoff-012"]
        client = _client(server.port, ids)
        await client.start()
        with pytest.raises(ActionFailed, match="Invalid/unknown command: NoSuchAction"):
            await client.request(Action("NoSuchAction"))
        with pytest.raises(ActionFailed, match="Missing action in request"):
            await client.request(Action("Ping"))
        # The garbage line got an error without ActionID: matched by order.
        with pytest.raises(ActionFailed, match="Missing action in request"):
            await client.request(Action("Ping", action_id=NO_ACTION_ID))
        with pytest.raises(ActionFailed, match="Already there"):
            await client.request(actions.queue_add("sales", "Local/1001@agents/n"))
        with pytest.raises(ActionFailed, match="Command output follows") as failed:
            await client.request(actions.command("no such cli command"))
        assert failed.value.action_id == "c3-command-011"
        await client.close()


async def test_synchronous_originate_error_comes_before_its_events_03() -> None:
    t = load("03")
    async with AmiReplayServer(scripts=[ConnScript.from_transcript(t, "c1")]) as server:
        client = _client(server.port, ["c1-login-001", "c1-orig-sync-busy", "c1-logoff-002"])
        await client.start()
        sync = Action("Originate", (("Channel", "Local/busy@failures"), ("Exten", "sales")))
        with pytest.raises(ActionFailed, match="Originate failed"):
            await client.request(sync)
        await client.close()


async def test_slow_server_times_out_the_action_01() -> None:
    t = load("01")
    script = ConnScript.from_transcript(t, "c1", stall_after=1)
    async with AmiReplayServer(scripts=[script]) as server:
        client = _client(server.port, ["c1-login-001", "c1-ping-002", "c1-logoff-010"])
        await client.start()
        with pytest.raises(ActionTimeout):
            await client.request(actions.ping(), timeout_s=0.2)
        assert client.connected
        await client.close()


async def test_pending_action_fails_and_is_not_resent_after_reconnect_01() -> None:
    t = load("01")
    killed = ConnScript.from_transcript(t, "c1", cut_after=2)
    again = ConnScript.from_transcript(t, "c1")
    async with AmiReplayServer(scripts=[killed, again]) as server:
        ids = ["c1-login-001", "c1-ping-002", "c1-login-001", "c1-coresettings-003"]
        ids.append("c1-logoff-010")
        sessions: list[bool] = []
        reconnected = asyncio.Event()

        async def on_session(is_reconnect: bool) -> None:
            sessions.append(is_reconnect)
            reconnected.set()

        client = AmiClient(
            settings=settings_for(server.port),
            clock=SteppingClock(),
            action_ids=ScriptedIds(ids),
            on_session=on_session,
        )
        await client.start()
        with pytest.raises(BackendUnavailable):
            await client.request(actions.ping())
        async with asyncio.timeout(5):
            await reconnected.wait()
        reply = await client.request(Action("CoreSettings"))
        assert reply.get("AMIversion") == "11.0.0"
        await client.close()
        assert sessions == [True]
        assert not any(b"Action: Ping" in m for m in server.received(1))


async def test_connection_refused_is_backend_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = _client(port, [])
    with pytest.raises(BackendUnavailable):
        await client.start()
    with pytest.raises(BackendUnavailable):
        await client.request(actions.ping())


async def test_keepalive_detects_a_dead_server_and_reconnects_01() -> None:
    t = load("01")
    # The first server answers the login, then never again: the keep-alive Ping times out.
    silent = ConnScript.from_transcript(t, "c1", stall_after=1)
    again = ConnScript.from_transcript(t, "c1")
    async with AmiReplayServer(scripts=[silent, again]) as server:
        reconnected = asyncio.Event()

        async def on_session(is_reconnect: bool) -> None:
            reconnected.set()

        ids = ["c1-login-001", "c1-ping-002", "c1-login-001"]
        client = AmiClient(
            settings=settings_for(server.port, ping_interval_s=0.05, action_timeout_s=0.2),
            clock=SteppingClock(),
            action_ids=ScriptedIds(ids, strict=False),
            on_session=on_session,
        )
        await client.start()
        async with asyncio.timeout(5):
            await reconnected.wait()
        await client.close()
        assert server.received(0)[1].startswith(b"Action: Ping\r\n")
