"""The ARI call driver on typed events (made from captured frames): barge-in, typed-ahead keys,
a channel gone while away."""

from __future__ import annotations

import json

import pytest

from ivr.ari import ChannelGone, PlaybackFinished, parse_event
from ivr.ari.driver import AriCall
from ivr.ari.model import Playback
from ivr.errors import SessionEnded
from tests.ari_transcripts import load


class _Rest:
    """Records what the driver asks of ARI (a small real class, not a mock)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    async def play(
        self, channel_id: str, media: list[str], *, playback_id: str, lang: str
    ) -> Playback:
        self.calls.append(("play", playback_id))
        return Playback(id=playback_id, media_uri=media[0], target_uri=f"channel:{channel_id}",
                        state="queued")  # fmt: skip

    async def stop_playback(self, playback_id: str) -> None:
        self.calls.append(("stop", playback_id))


def _dtmf(digit: str):  # type: ignore[no-untyped-def]
    frame = next(f for f in load("02").frames("ws1") if f.type == "ChannelDtmfReceived")
    data = json.loads(frame.text)
    data["digit"] = digit
    return parse_event(json.dumps(data))


def _finished(playback_id: str) -> PlaybackFinished:
    frame = next(f for f in load("02").frames("ws1") if f.type == "PlaybackFinished")
    data = json.loads(frame.text)
    data["playback"]["id"] = playback_id
    event = parse_event(json.dumps(data))
    assert isinstance(event, PlaybackFinished)
    return event


def _call() -> tuple[AriCall, _Rest]:
    rest = _Rest()
    return AriCall(channel_id="xubao-b-075337", rest=rest), rest  # type: ignore[arg-type]


async def test_keys_during_a_plain_prompt_are_kept_for_the_menu() -> None:
    call, rest = _call()
    call.events.put_nowait(_dtmf("2"))
    call.events.put_nowait(_finished("pb-other"))  # someone else's playback: not ours
    call.events.put_nowait(_finished("pb-xubao-b-075337-status"))
    assert await call.play(["a"], language="zh_CN", barge_in=False, node="status") == ""
    assert await call.read_digit(timeout_s=5) == "2"
    assert rest.calls == [("play", "pb-xubao-b-075337-status")]


async def test_barge_in_stops_the_playback_and_ids_stay_unique() -> None:
    call, rest = _call()
    call.events.put_nowait(_finished("pb-xubao-b-075337-menu"))
    await call.play(["m"], language="en", barge_in=True, node="menu")
    call.events.put_nowait(_dtmf("1"))
    assert await call.play(["m"], language="en", barge_in=True, node="menu") == "1"
    assert rest.calls == [
        ("play", "pb-xubao-b-075337-menu"),
        ("play", "pb-xubao-b-075337-menu-2"),
        ("stop", "pb-xubao-b-075337-menu-2"),
    ]


async def test_no_key_is_a_timeout() -> None:
    call, _ = _call()
    assert await call.read_digit(timeout_s=0.01) == ""


async def test_a_channel_gone_while_away_ends_the_session() -> None:
    call, _ = _call()
    call.events.put_nowait(ChannelGone(channel_id="xubao-b-075337"))
    with pytest.raises(SessionEnded):
        await call.read_digit(timeout_s=5)
    with pytest.raises(SessionEnded):
        await call.play(["x"], language="en", barge_in=False, node="n")
