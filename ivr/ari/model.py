"""ARI's resources as frozen dataclasses: channels, playbacks, applications.

Parsed from the JSON Asterisk sends (REST bodies and event payloads alike). Only the fields the
IVR reads are kept; key order never matters (``ChannelVarset`` puts ``variable`` before ``type``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Application", "Channel", "Playback", "as_object", "text_field"]


def as_object(value: Any, what: str) -> dict[str, Any]:
    """``value`` as a JSON object, or a ValueError naming ``what`` (a bad payload)."""
    if not isinstance(value, dict):
        raise ValueError(f"{what}: expected a JSON object, got {type(value).__name__}")
    return value


def text_field(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    return value if isinstance(value, str) else str(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Channel:
    """A channel snapshot. ``app_name``/``app_data`` are where its dialplan is now."""

    id: str
    name: str
    state: str
    caller_number: str
    caller_name: str
    app_name: str
    app_data: str
    language: str

    @classmethod
    def parse(cls, value: Any) -> Channel:
        data = as_object(value, "channel")
        caller = as_object(data.get("caller") or {}, "channel.caller")
        dialplan = as_object(data.get("dialplan") or {}, "channel.dialplan")
        return cls(
            id=text_field(data, "id"),
            name=text_field(data, "name"),
            state=text_field(data, "state"),
            caller_number=text_field(caller, "number"),
            caller_name=text_field(caller, "name"),
            app_name=text_field(dialplan, "app_name"),
            app_data=text_field(dialplan, "app_data"),
            language=text_field(data, "language", "en"),
        )

    def in_stasis_of(self, app: str) -> bool:
        """True while the channel runs ``Stasis(app,…)`` (its ``app_data`` starts with app)."""
        return self.app_name == "Stasis" and self.app_data.split(",", 1)[0] == app

    @property
    def stasis_args(self) -> tuple[str, ...]:
        """The ``appArgs`` of a channel in Stasis, as StasisStart would give them."""
        parts = self.app_data.split(",")
        return tuple(parts[1:]) if self.app_name == "Stasis" else ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Playback:
    """A playback; ``state`` is queued/playing/continuing/done/failed."""

    id: str
    media_uri: str
    target_uri: str
    state: str
    next_media_uri: str = ""

    @classmethod
    def parse(cls, value: Any) -> Playback:
        data = as_object(value, "playback")
        return cls(
            id=text_field(data, "id"),
            media_uri=text_field(data, "media_uri"),
            target_uri=text_field(data, "target_uri"),
            state=text_field(data, "state"),
            next_media_uri=text_field(data, "next_media_uri"),
        )

    @property
    def channel_id(self) -> str:
        """The channel played to (``channel:<id>`` targets), else ``""``."""
        kind, _, ident = self.target_uri.partition(":")
        return ident if kind == "channel" else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Application:
    """A Stasis application and what it is subscribed to (both halves of Local channels)."""

    name: str
    channel_ids: tuple[str, ...]

    @classmethod
    def parse(cls, value: Any) -> Application:
        data = as_object(value, "application")
        ids = data.get("channel_ids") or []
        if not isinstance(ids, list):
            raise ValueError("application.channel_ids: expected a list")
        return cls(name=text_field(data, "name"), channel_ids=tuple(str(i) for i in ids))
