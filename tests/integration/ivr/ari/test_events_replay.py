"""The event websocket against the captured frames: typed events (02, 03), failed handshakes
(04), a clean close and re-subscription (05 d1), ApplicationReplaced (05 d2), an abrupt drop
with a hangup while away (05 d3), and a channel found in Stasis after a reconnect (04's list)."""

from __future__ import annotations

import asyncio

import pytest

from ivr.ari import (
    AriClient,
    AriRest,
    ChannelDestroyed,
    ChannelDtmf,
    ChannelGone,
    ChannelHangupRequest,
    ChannelRecovered,
    PlaybackFinished,
    PlaybackStarted,
    StasisEnd,
    StasisStart,
)
from ivr.errors import AriAppReplaced, AriHandshakeFailed
from tests.ari_transcripts import load
from tests.integration.ivr.ari.support import (
    drain,
    next_event,
    replay_server,
    running_client,
    settings_for,
)


async def test_subscribes_to_our_app_only_with_the_captured_headers_01() -> None:
    captured = load("01").ws_event("ws1", "open")
    async with replay_server() as replay, running_client(replay):
        (upgrade,) = replay.upgrades
    assert upgrade.path == captured["uri"] == "/ari/events?app=xubao-ivr&subscribeAll=false"
    assert upgrade.headers["Authorization"] == dict(captured["request_headers"])["Authorization"]


async def test_a_call_reads_as_typed_events_02() -> None:
    t = load("02")
    async with replay_server() as replay, running_client(replay) as client:
        await replay.send(1, t.frames("ws1"))
        start = await next_event(client, StasisStart)
        assert (start.channel.id, start.args) == ("xubao-b-075337", ("inbound", "5551001"))
        finished = await next_event(client, PlaybackFinished)
        assert (finished.playback.id, finished.playback.state) == ("pb-xubao-b-075337-menu", "done")
        digits = [await next_event(client, ChannelDtmf) for _ in range(2)]
        assert [(d.channel.id, d.digit, d.duration_ms) for d in digits] == [
            ("xubao-b-075337", "1", 100),
            ("xubao-b-075337", "9", 100),
        ]
        end = await next_event(client, StasisEnd)
        assert end.channel.id == "xubao-b-075337"
        assert client.in_stasis == frozenset()  # continue: out of Stasis, still subscribed
        destroyed = [await next_event(client, ChannelDestroyed) for _ in range(2)]
        assert {(d.channel.id, d.cause, d.cause_txt) for d in destroyed} == {
            ("xubao-b-075337", 16, "Normal Clearing"),
            ("xubao-b-075337-cust", 16, "Normal Clearing"),
        }


async def test_hangup_order_and_the_real_cause_03() -> None:
    t = load("03")
    async with replay_server() as replay, running_client(replay) as client:
        await replay.send(1, t.frames("ws1"))
        await next_event(client, StasisStart)
        request = await next_event(client, ChannelHangupRequest)
        assert (request.channel.id, request.cause, request.soft) == ("xubao-b2-075337", 32, True)
        await next_event(client, StasisEnd)
        destroyed = await next_event(client, ChannelDestroyed)
        assert (destroyed.channel.id, destroyed.cause) == ("xubao-b2-075337", 16)


async def test_missing_prompt_finishes_failed_04() -> None:
    t = load("04")
    async with replay_server() as replay, running_client(replay) as client:
        await replay.send(1, t.frames("ws1"))
        started = await next_event(client, PlaybackStarted)
        assert started.playback.media_uri == "bogus:thing"  # started, and never finishes
        failed = await next_event(client, PlaybackFinished)
        assert (failed.playback.media_uri, failed.playback.state) == (
            "sound:no-such-prompt",
            "failed",
        )


@pytest.mark.parametrize(("conn", "status"), [("ws-badauth", 401), ("ws-noapp", 400)])
async def test_refused_handshakes_stop_the_client_04(conn: str, status: int) -> None:
    record = load("04").ws_event(conn, "handshake-failed")
    async with replay_server() as replay:
        replay.arm_failed_handshake(record)
        settings = settings_for(replay)
        async with AriRest(settings=settings) as rest:
            with pytest.raises(AriHandshakeFailed) as failure:
                await asyncio.wait_for(AriClient(settings=settings, rest=rest).run(), 5)
    assert failure.value.status == status
    assert failure.value.body == record["response"]["body"]["text"]


async def test_clean_close_reconnects_resubscribes_and_events_flow_again_05() -> None:
    t = load("05")
    async with replay_server() as replay, running_client(replay) as client:
        await replay.send(1, t.frames("ws1"))
        await next_event(client, StasisStart)
        # The channel is still in Stasis after the close (05 d1): the re-sync lists it.
        replay.arm(
            t.http("GET", "/ari/channels")[0],
            t.one("POST", "/ari/channels/xubao-d-075337/play?media=sound%3Abeep"),
        )
        await replay.close(1)
        await replay.socket(2)
        await replay.wait_request("GET", "/ari/channels", count=2)
        await asyncio.wait_for(client.connected.wait(), 5)
        assert client.connections == 2
        assert replay.upgrades[1].path == replay.upgrades[0].path  # same subscription again
        assert client.in_stasis == {"xubao-d-075337"}
        assert not [e for e in drain(client) if isinstance(e, ChannelGone | ChannelRecovered)]
        # REST still controls it; the new socket carries the events.
        playback = await client.rest.play("xubao-d-075337", ["sound:beep"])
        await replay.send(2, [f for f in t.frames("ws2") if f.type != "ApplicationReplaced"])
        finished = await next_event(client, PlaybackFinished)
        assert finished.playback.id == playback.id


async def test_application_replaced_stops_the_client_05() -> None:
    t = load("05")
    replaced = [f for f in t.frames("ws2") if f.type == "ApplicationReplaced"]
    async with replay_server() as replay:
        replay.arm(load("01").one("GET", "/ari/channels"))
        settings = settings_for(replay)
        async with AriRest(settings=settings) as rest:
            client = AriClient(settings=settings, rest=rest)
            task = asyncio.create_task(client.run())
            await replay.send(1, replaced)
            with pytest.raises(AriAppReplaced):
                await asyncio.wait_for(task, 5)
    assert len(replay.sockets) == 1  # it did not fight the other connection for the app


async def test_abrupt_drop_then_hangup_while_away_is_reported_gone_05() -> None:
    t = load("05")
    async with replay_server() as replay, running_client(replay) as client:
        await replay.send(1, t.frames("ws1"))
        await next_event(client, StasisStart)
        # d3: no close frame; the channel is hung up meanwhile, and Asterisk replays nothing.
        replay.arm(t.http("GET", "/ari/channels")[1])  # "[]", captured after that hangup
        await replay.drop(1)
        gone = await next_event(client, ChannelGone)
        assert gone.channel_id == "xubao-d-075337"
        assert client.in_stasis == frozenset()
        assert len(replay.sockets) == 2


async def test_channel_found_in_stasis_after_a_reconnect_is_finished_04() -> None:
    t = load("04")
    async with replay_server() as replay, running_client(replay) as client:
        # While the socket was down a call entered Stasis: this process never saw StasisStart.
        replay.arm(t.one("GET", "/ari/channels"), t.one("DELETE", "/ari/channels/xubao-c-075337"))
        await replay.drop(1)
        found = await next_event(client, ChannelRecovered)
        assert (found.channel.id, found.args) == ("xubao-c-075337", ("inbound",))
        assert client.in_stasis == {"xubao-c-075337"}  # the ;2 half (in Wait) is not ours
        # Finishing it: hang up, and the new socket carries its end.
        await client.rest.hangup("xubao-c-075337")
        after = t.one("DELETE", "/ari/channels/xubao-c-075337").index
        await replay.send(2, t.frames("ws1", start=after))
        destroyed = await next_event(client, ChannelDestroyed)
        assert destroyed.channel.id == "xubao-c-075337"
        assert client.in_stasis == frozenset()


async def test_refused_connections_back_off_doubling_to_the_cap_then_connect() -> None:
    async with replay_server() as replay:
        port = int(replay.ws_url.rsplit(":", 1)[1])
        await replay.stop_ws()  # Asterisk is down: every connect is refused
        replay.arm(load("01").one("GET", "/ari/channels"))
        delays: list[float] = []

        async def sleep(seconds: float) -> None:  # the back-off, recorded instead of slept
            delays.append(seconds)
            if len(delays) == 4:
                await replay.start_ws(port)  # Asterisk is back
            await asyncio.sleep(0)

        settings = settings_for(replay)
        async with AriRest(settings=settings) as rest:
            client = AriClient(settings=settings, rest=rest, sleep=sleep)
            task = asyncio.create_task(client.run())
            try:
                await asyncio.wait_for(client.connected.wait(), 5)
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
    assert delays == [0.01, 0.02, 0.04, 0.05]  # doubling from 0.01, capped at 0.05
    assert client.connections == 1
