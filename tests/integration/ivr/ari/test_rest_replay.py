"""The REST half against the captured bytes: reads (01), a call (02, 03) and errors (04)."""

from __future__ import annotations

import pytest

from ivr.ari import AriRest
from ivr.errors import (
    AriAuthFailed,
    AriBadRequest,
    AriConflict,
    AriNotFound,
    AriServerError,
    AriUnavailable,
)
from tests.ari_transcripts import load
from tests.integration.ivr.ari.support import replay_server, settings_for


async def test_reads_and_credentials_01() -> None:
    t = load("01")
    async with replay_server() as replay:
        replay.arm(
            t.one("GET", "/ari/asterisk/info"),
            t.one("GET", "/ari/channels"),
            t.one("GET", "/ari/applications/xubao-ivr"),
        )
        async with AriRest(settings=settings_for(replay)) as rest:
            info = await rest.info()
            assert info["system"]["version"] == "22.10.1"
            assert await rest.channels() == []
            app = await rest.application("xubao-ivr")
            assert (app.name, app.channel_ids) == ("xubao-ivr", ())
        captured = dict(t.one("GET", "/ari/asterisk/info").request_headers)
        assert {r.headers["authorization"] for r in replay.requests} == {captured["Authorization"]}
        assert replay.unserved() == []


async def test_call_requests_and_their_answers_02() -> None:
    t = load("02")
    async with replay_server() as replay:
        replay.arm(*t.http("POST", "*"), *t.http("GET", "*"))
        async with AriRest(settings=settings_for(replay)) as rest:
            channel = await rest.originate(
                endpoint="Local/5551001@ivr-customer",
                app_args=("inbound", "5551001"),
                channel_id="xubao-b-075337",
                caller_id='"Xubao IVR" <7000>',
            )
            # 200 with the ;1 half still Down, dialled by AppDial2 (README, 02).
            assert (channel.id, channel.state, channel.app_name) == (
                "xubao-b-075337",
                "Down",
                "AppDial2",
            )
            assert await rest.answer("xubao-b-075337") is None  # 204, no body
            menu = await rest.play(
                "xubao-b-075337",
                ["sound:hello-world"],
                playback_id="pb-xubao-b-075337-menu",
                lang="en",
            )
            assert (menu.id, menu.state, menu.channel_id) == (
                "pb-xubao-b-075337-menu",
                "queued",
                "xubao-b-075337",
            )
            two = await rest.play("xubao-b-075337", ["sound:you-entered", "digits:1"])
            assert two.media_uri == "sound:you-entered" and two.id  # server-assigned UUID
            await rest.set_variable("xubao-b-075337", "IVR_CHOICE", "19")
            assert await rest.get_variable("xubao-b-075337", "IVR_CHOICE") == "19"
            assert (await rest.channel("xubao-b-075337")).in_stasis_of("xubao-ivr")
            await rest.continue_in_dialplan(
                "xubao-b-075337", context="ivr-after", extension="s", priority=1
            )
        assert [r.method for r in replay.requests][:3] == ["POST", "POST", "POST"]


async def test_stopping_a_playback_and_hanging_up_03() -> None:
    t = load("03")
    async with replay_server() as replay:
        replay.arm(*t.http("GET", "/ari/playbacks/pb-xubao-b2-075337-long"))
        replay.arm(*t.http("DELETE", "*"))
        async with AriRest(settings=settings_for(replay)) as rest:
            playing = await rest.playback("pb-xubao-b2-075337-long")
            assert playing.state == "playing"
            await rest.stop_playback("pb-xubao-b2-075337-long")
            with pytest.raises(AriNotFound):  # a finished playback disappears
                await rest.playback("pb-xubao-b2-075337-long")
            await rest.hangup("xubao-b2-075337", reason_code=16)
        assert replay.unserved() == []


async def test_error_statuses_become_typed_errors_04() -> None:
    t = load("04")
    async with replay_server() as replay:
        replay.arm(
            t.one("POST", "/ari/channels/no-such-channel/play?media=sound%3Ahello-world"),
            t.one("POST", "/ari/channels/xubao-c-075337-cust/continue"),
            t.one("DELETE", "/ari/channels/no-such-channel"),
            t.one("GET", "/ari/channels/xubao-c-075337/variable?variable=NO_SUCH_VAR"),
            t.one("POST", "/ari/channels?endpoint=Bogus%2F5551234&app=xubao-ivr"),
            t.one("POST", "/ari/channels/xubao-c-075337/dtmf?dtmf="),
        )
        async with AriRest(settings=settings_for(replay)) as rest:
            with pytest.raises(AriNotFound) as missing:
                await rest.play("no-such-channel", ["sound:hello-world"])
            assert (missing.value.status, missing.value.message) == (404, "Channel not found")
            with pytest.raises(AriConflict) as conflict:
                await rest.continue_in_dialplan("xubao-c-075337-cust")
            assert conflict.value.message == "Channel not in Stasis application"
            with pytest.raises(AriNotFound):
                await rest.hangup("no-such-channel")
            with pytest.raises(AriNotFound) as variable:
                await rest.get_variable("xubao-c-075337", "NO_SUCH_VAR")
            assert variable.value.message == "Provided variable was not found"
            with pytest.raises(AriServerError) as bogus:
                await rest._request(
                    "POST", "/channels", [("endpoint", "Bogus/5551234"), ("app", "xubao-ivr")]
                )
            # The one error body keyed "error", not "message" (04).
            assert (bogus.value.status, bogus.value.message) == (500, "Allocation failed")
            with pytest.raises(AriBadRequest):
                await rest._request("POST", "/channels/xubao-c-075337/dtmf", [("dtmf", "")])


async def test_wrong_password_is_an_auth_error_04() -> None:
    t = load("04")
    async with replay_server() as replay:
        replay.arm(t.http("GET", "/ari/asterisk/info")[0])
        async with AriRest(settings=settings_for(replay, password="wrong-password")) as rest:
            with pytest.raises(AriAuthFailed) as failure:
                await rest.info()
        assert failure.value.message == "Authentication required"


async def test_unknown_media_schemes_are_refused_before_asterisk_04() -> None:
    # bogus:thing gets 201 and then never a PlaybackFinished from Asterisk (04); play without
    # media is a 500. Neither is sent.
    async with replay_server() as replay:
        async with AriRest(settings=settings_for(replay)) as rest:
            for media in (["bogus:thing"], [], ["sound:a,b"]):
                with pytest.raises(ValueError):
                    await rest.play("xubao-c-075337", media)
        assert replay.requests == []


async def test_a_closed_port_is_unavailable() -> None:
    async with replay_server() as replay:
        settings = settings_for(replay)
    async with AriRest(settings=settings) as rest:  # the server is stopped now
        with pytest.raises(AriUnavailable):
            await rest.info()
