"""Errors of the event bus (all are ``DialerError``).

DialerError
└── BusError                 the bus could not carry an event
    ├── BusUnavailable       the broker cannot be reached (publish failed; ``url`` is masked)
    └── EventCodecError      an event cannot be encoded or decoded
        ├── UnknownEventType an event type outside the codec's allowed tuple (``type_name``)
        └── MalformedEvent   a payload that does not fit its type (``type_name``, ``field``)

A subscription that falls behind ends with ``dialer.errors.EventQueueOverflow``, as every
bounded event queue of the dialer does.
"""

from __future__ import annotations

from dialer.errors import DialerError

__all__ = ["BusError", "BusUnavailable", "EventCodecError", "MalformedEvent", "UnknownEventType"]


class BusError(DialerError):
    """Base of every event bus error."""


class BusUnavailable(BusError):
    """The broker could not be reached; the event was not published."""


class EventCodecError(BusError):
    """An event could not be turned into bytes or back."""

    def __init__(self, message: str, *, type_name: str, field: str = "") -> None:
        super().__init__(message)
        self.type_name = type_name
        self.field = field


class UnknownEventType(EventCodecError):
    """The event's type is not one the codec was built to carry."""

    def __init__(self, type_name: str) -> None:
        super().__init__(f"event type {type_name!r} is not carried on the bus", type_name=type_name)


class MalformedEvent(EventCodecError):
    """The payload does not fit its event type (a field missing, extra or of the wrong kind)."""

    def __init__(self, type_name: str, field: str, reason: str) -> None:
        where = f".{field}" if field else ""
        super().__init__(
            f"malformed {type_name}{where}: {reason}", type_name=type_name, field=field
        )
        self.reason = reason
