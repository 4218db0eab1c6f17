"""Typed ARI events, parsed from one websocket text frame (one JSON object each).

Only the events the IVR acts on get their own class; every other type becomes
:class:`OtherEvent` with its ``type`` kept, so nothing is silently dropped. Two events are our
own, made by the client's re-sync after a reconnect (Asterisk replays nothing, fixture 05 d3):
:class:`ChannelRecovered` (in our Stasis app, never seen by this process) and :class:`ChannelGone`
(we knew it; it ended while the socket was down).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ivr.ari.model import Channel, Playback, as_object, text_field

__all__ = [
    "AppReplaced",
    "AriEvent",
    "ChannelDestroyed",
    "ChannelDtmf",
    "ChannelGone",
    "ChannelHangupRequest",
    "ChannelRecovered",
    "ChannelVarset",
    "OtherEvent",
    "PlaybackFinished",
    "PlaybackStarted",
    "StasisEnd",
    "StasisStart",
    "parse_event",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class StasisStart:
    channel: Channel
    args: tuple[str, ...]
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StasisEnd:
    channel: Channel
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelDtmf:
    """``ChannelDtmfReceived``: sent at the END of a digit (about 200 ms after it starts)."""

    channel: Channel
    digit: str
    duration_ms: int
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackStarted:
    playback: Playback
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackFinished:
    """``state`` is ``done`` (also when stopped, fixture 03) or ``failed`` (missing file, 04)."""

    playback: Playback
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelHangupRequest:
    """Its ``cause`` is not the real one (32 soft on a DELETE, fixture 03): see Destroyed."""

    channel: Channel
    cause: int
    soft: bool
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelDestroyed:
    channel: Channel
    cause: int
    cause_txt: str
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelVarset:
    channel: Channel | None  # global variables have no channel
    variable: str
    value: str
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AppReplaced:
    application: str
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OtherEvent:
    type: str
    channel_id: str  # "" when the event names no channel
    timestamp: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelRecovered:
    """Our own: found in our Stasis app by the re-sync, with no StasisStart seen here."""

    channel: Channel
    args: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelGone:
    """Our own: a channel we had in Stasis is no longer listed after a reconnect."""

    channel_id: str


AriEvent = (
    StasisStart
    | StasisEnd
    | ChannelDtmf
    | PlaybackStarted
    | PlaybackFinished
    | ChannelHangupRequest
    | ChannelDestroyed
    | ChannelVarset
    | AppReplaced
    | OtherEvent
    | ChannelRecovered
    | ChannelGone
)


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _from_object(data: dict[str, Any]) -> AriEvent:
    kind = text_field(data, "type")
    ts = text_field(data, "timestamp")
    if kind == "StasisStart":
        args = data.get("args") or []
        if not isinstance(args, list):
            raise ValueError("StasisStart.args: expected a list")
        return StasisStart(
            channel=Channel.parse(data.get("channel")), args=tuple(map(str, args)), timestamp=ts
        )
    if kind == "StasisEnd":
        return StasisEnd(channel=Channel.parse(data.get("channel")), timestamp=ts)
    if kind == "ChannelDtmfReceived":
        return ChannelDtmf(
            channel=Channel.parse(data.get("channel")),
            digit=text_field(data, "digit"),
            duration_ms=_int(data, "duration_ms"),
            timestamp=ts,
        )
    if kind in ("PlaybackStarted", "PlaybackFinished"):
        cls = PlaybackStarted if kind == "PlaybackStarted" else PlaybackFinished
        return cls(playback=Playback.parse(data.get("playback")), timestamp=ts)
    if kind == "ChannelHangupRequest":
        return ChannelHangupRequest(
            channel=Channel.parse(data.get("channel")),
            cause=_int(data, "cause"),
            soft=bool(data.get("soft", False)),
            timestamp=ts,
        )
    if kind == "ChannelDestroyed":
        return ChannelDestroyed(
            channel=Channel.parse(data.get("channel")),
            cause=_int(data, "cause"),
            cause_txt=text_field(data, "cause_txt"),
            timestamp=ts,
        )
    if kind == "ChannelVarset":
        raw = data.get("channel")
        return ChannelVarset(
            channel=Channel.parse(raw) if raw is not None else None,
            variable=text_field(data, "variable"),
            value=text_field(data, "value"),
            timestamp=ts,
        )
    if kind == "ApplicationReplaced":
        return AppReplaced(application=text_field(data, "application"), timestamp=ts)
    raw = data.get("channel")
    channel_id = text_field(raw, "id") if isinstance(raw, dict) else ""
    return OtherEvent(type=kind, channel_id=channel_id, timestamp=ts)


def parse_event(frame: str) -> AriEvent:
    """One websocket text frame → one event; ValueError on a frame that is not an event."""
    try:
        data = json.loads(frame)
    except json.JSONDecodeError as exc:
        raise ValueError(f"event frame is not JSON: {exc}") from exc
    obj = as_object(data, "event")
    if not isinstance(obj.get("type"), str):
        raise ValueError("event frame has no 'type'")
    return _from_object(obj)
