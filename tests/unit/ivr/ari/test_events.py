"""Every captured frame parses into a typed event; key order does not matter."""

from __future__ import annotations

import pytest

import ivr.ari
from ivr.ari import ChannelVarset, OtherEvent, StasisStart, parse_event
from tests.ari_transcripts import SCENARIOS, load


@pytest.mark.parametrize("scenario", sorted(set(SCENARIOS) - {"01"}))  # 01 has no events
def test_every_captured_frame_parses(scenario: str) -> None:
    t = load(scenario)
    conns = {r["conn"] for r in t.records if r["kind"] == "ws" and r["event"] == "recv"}
    frames = [f for conn in sorted(conns) for f in t.frames(conn)]
    assert frames
    for frame in frames:
        event = parse_event(frame.text)
        if isinstance(event, OtherEvent):
            assert event.type == frame.type


def test_varset_with_type_after_other_keys_02() -> None:
    frame = next(f for f in load("02").frames("ws1") if f.text.startswith('{"variable"'))
    event = parse_event(frame.text)
    assert isinstance(event, ChannelVarset)
    assert (event.variable, event.channel and event.channel.id) == (
        "STASISSTATUS",
        "xubao-b-075337",
    )


def test_stasis_start_channel_knows_its_app_02() -> None:
    frame = next(f for f in load("02").frames("ws1") if f.type == "StasisStart")
    event = parse_event(frame.text)
    assert isinstance(event, StasisStart)
    assert event.channel.in_stasis_of("xubao-ivr")
    assert not event.channel.in_stasis_of("xubao")
    assert event.channel.stasis_args == event.args == ("inbound", "5551001")


@pytest.mark.parametrize("frame", ["not json", "[1]", '{"no":"type"}'])
def test_bad_frames_are_value_errors(frame: str) -> None:
    with pytest.raises(ValueError):
        parse_event(frame)


def test_exports() -> None:
    for name in ivr.ari.__all__:
        assert hasattr(ivr.ari, name), name
