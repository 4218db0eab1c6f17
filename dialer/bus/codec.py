"""Bus events as JSON: frozen dataclasses in, frozen dataclasses out, for an explicit set of types.

Wire form: ``{"type": "CallBridged", "data": {...}}``. Datetimes travel as ISO 8601 in UTC
(a naive datetime is refused: we would not know its zone), enums by value, nested dataclasses
(``BackendRef``) as objects. The codec is built from a tuple of types (the composition root
names them); there is no registry filled at import time, and a type outside the tuple is
refused on both sides, so a web process never builds an object it was not written for.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from dialer.bus.errors import MalformedEvent, UnknownEventType

__all__ = ["EventCodec"]

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any, "_Where"], Any]


class EventCodec:
    """Encodes and decodes the dataclass types it is built with (and no other)."""

    def __init__(self, event_types: Iterable[type]) -> None:
        self._by_name: dict[str, type] = {}
        self._specs: dict[type, _ClassSpec] = {}
        for cls in event_types:
            name = cls.__name__
            if name in self._by_name:
                raise ValueError(f"two bus event types are named {name!r}")
            self._by_name[name] = cls
            self._specs[cls] = _class_spec(cls)

    @property
    def types(self) -> tuple[type, ...]:
        return tuple(self._by_name.values())

    def encode(self, event: object) -> bytes:
        """The event as UTF-8 JSON; raises ``UnknownEventType`` or ``EventCodecError``."""
        spec = self._specs.get(type(event))
        if spec is None:
            raise UnknownEventType(type(event).__name__)
        body = {"type": spec.name, "data": spec.encode(event)}
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    def decode(self, payload: bytes | str) -> object:
        """The event the payload holds; raises ``UnknownEventType`` or ``MalformedEvent``."""
        try:
            body = json.loads(payload)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedEvent("?", "", f"not JSON: {exc}") from exc
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            raise MalformedEvent("?", "type", "an object with a string 'type' is expected")
        cls = self._by_name.get(body["type"])
        if cls is None:
            raise UnknownEventType(body["type"])
        return self._specs[cls].decode(body.get("data"), _Where(cls.__name__, ""))


class _Where(typing.NamedTuple):
    """Where a value sits, for error messages: the event type and the dotted field path."""

    type_name: str
    path: str

    def field(self, name: str) -> _Where:
        return _Where(self.type_name, f"{self.path}.{name}" if self.path else name)

    def malformed(self, reason: str) -> MalformedEvent:
        return MalformedEvent(self.type_name, self.path, reason)


class _ClassSpec:
    """One dataclass: its fields' encoders and decoders, worked out once."""

    def __init__(self, cls: type, fields: list[tuple[str, bool, Encoder, Decoder]]) -> None:
        self.cls, self.name, self.fields = cls, cls.__name__, fields
        self._names = {name for name, _, _, _ in fields}

    def encode(self, obj: object) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, _, enc, _ in self.fields:
            try:
                out[name] = enc(getattr(obj, name))
            except (ValueError, AttributeError) as exc:
                raise MalformedEvent(self.name, name, str(exc)) from None
        return out

    def decode(self, data: object, where: _Where) -> object:
        if not isinstance(data, dict):
            raise where.malformed("an object is expected")
        extra = set(data) - self._names
        if extra:
            raise where.malformed(f"unknown field(s) {sorted(extra)}")
        kwargs: dict[str, Any] = {}
        for name, required, _, dec in self.fields:
            if name in data:
                kwargs[name] = dec(data[name], where.field(name))
            elif required:
                raise where.field(name).malformed("missing")
        return self.cls(**kwargs)


def _class_spec(cls: type) -> _ClassSpec:
    if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: bus events are frozen dataclasses")
    hints = typing.get_type_hints(cls)
    fields = []
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        enc, dec = _converters(hints[f.name], f"{cls.__name__}.{f.name}")
        fields.append((f.name, required, enc, dec))
    return _ClassSpec(cls, fields)


def _converters(hint: Any, where: str) -> tuple[Encoder, Decoder]:
    """Encoder and decoder for one annotation; unsupported annotations fail at construction."""
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1 or len(args) != 2:
            raise TypeError(f"{where}: only 'X | None' unions are carried")
        enc, dec = _converters(inner[0], where)
        return (lambda v: None if v is None else enc(v)), (
            lambda v, w: None if v is None else dec(v, w)
        )
    if hint is datetime:
        return _encode_datetime, _decode_datetime
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return (lambda v: v.value), _enum_decoder(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        spec = _class_spec(hint)
        return spec.encode, spec.decode
    if hint in (str, int, float, bool):
        return (lambda v: v), _scalar_decoder(hint)
    raise TypeError(f"{where}: the bus cannot carry {hint!r}")


def _encode_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("a naive datetime cannot go on the bus (its zone is unknown)")
    return value.astimezone(UTC).isoformat()


def _decode_datetime(value: Any, where: _Where) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
    raise where.malformed(f"an ISO 8601 time with its zone is expected, not {value!r}")


def _enum_decoder(cls: type[enum.Enum]) -> Decoder:
    def decode(value: Any, where: _Where) -> enum.Enum:
        try:
            return cls(value)
        except ValueError:
            raise where.malformed(f"{value!r} is not a {cls.__name__}") from None

    return decode


def _scalar_decoder(kind: type) -> Decoder:
    accepted: tuple[type, ...] = (int, float) if kind is float else (kind,)

    def decode(value: Any, where: _Where) -> Any:
        # bool is an int in Python but not in our events.
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, accepted):
            raise where.malformed(f"a {kind.__name__} is expected, not {value!r}")
        return kind(value)

    return decode
