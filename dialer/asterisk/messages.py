"""AMI messages as immutable values.

A message is an ordered multimap of ``(name, value)`` pairs, exactly as Asterisk sent it:
repeated names are kept (``Output`` in Command replies, ``Variable`` in ``Status``), empty
values are kept (``AccountCode: ``), order is kept (the ``ActionID`` is not always second,
see ``QueueParams`` in fixture 01). Lookups ignore case, because Asterisk accepts and may
send any case.

Classification looks at ``Event:`` first: ``OriginateResponse`` (fixture 02) is an event that
also carries ``Response: Success``; a naive "has Response: so it is a response" test breaks.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Greeting", "Message", "MessageKind"]


def _odd_line(line: str) -> tuple[str, str]:
    """A line without ``": "``: ``Key:`` (empty value, no space) or a bare text line."""
    key, sep, value = line.partition(":")
    if sep and key and " " not in key:
        return key, value
    return "", line


class MessageKind(enum.Enum):
    """What a server message is."""

    EVENT = "event"
    RESPONSE = "response"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Greeting:
    """The one-line banner (``Asterisk Call Manager/11.0.0``) sent before any message."""

    line: str

    @property
    def version(self) -> str:
        """The AMI protocol version after the slash, or '' when the banner has none."""
        _, _, version = self.line.partition("/")
        return version.strip()


@dataclass(frozen=True, slots=True)
class Message:
    """One AMI message: its header lines, in order, values exactly as sent.

    ``lines`` holds each line as ``str.partition(": ")`` returned it, ``(name, ": ", value)``;
    a line without ``": "`` has an empty separator and is read by ``headers`` as ``Name:``
    (empty value) or, with no colon at all (pre-14 command output), as ``("", line)``.
    WHY partitions and not pairs: rebuilding ~15 pairs per message was a third of the parse
    time at bench volumes (``bench/ami_events.py``); nothing received is ever dropped.
    """

    lines: tuple[tuple[str, str, str], ...]

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Message:
        """Build a message from ``(name, value)`` pairs (tests, replies built in code)."""
        return cls(tuple((name, ": ", value) for name, value in pairs))

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """Every ``(name, value)`` pair, in order, repeated names and empty values kept."""
        return tuple((k, v) if s else _odd_line(k) for k, s, v in self.lines if k or s)

    def get(self, name: str, default: str = "") -> str:
        """The first value of ``name`` (any case), or ``default`` when absent."""
        for key, sep, value in self.lines:
            if key == name and sep:
                return value
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name`` (any case), in the order received."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def has(self, name: str) -> bool:
        """Whether a header ``name`` (any case) is present, even with an empty value."""
        wanted = name.lower()
        return any(key.lower() == wanted for key, _ in self.headers)

    def __getitem__(self, name: str) -> str:
        marker = "\x00missing"
        value = self.get(name, marker)
        if value is marker:
            raise KeyError(name)
        return value

    @property
    def kind(self) -> MessageKind:
        """EVENT when an ``Event:`` header exists (checked first), else RESPONSE or OTHER."""
        if self.lines and self.lines[0][0] == "Event":
            return MessageKind.EVENT
        if self.has("Event"):
            return MessageKind.EVENT
        if self.has("Response"):
            return MessageKind.RESPONSE
        return MessageKind.OTHER

    @property
    def is_event(self) -> bool:
        return self.kind is MessageKind.EVENT

    @property
    def is_response(self) -> bool:
        return self.kind is MessageKind.RESPONSE

    @property
    def event(self) -> str:
        """The event name ('' for responses)."""
        return self.get("Event")

    @property
    def response(self) -> str:
        """The ``Response:`` value (``Success``, ``Error``, ``Goodbye``; also on some events)."""
        return self.get("Response")

    @property
    def action_id(self) -> str:
        return self.get("ActionID")

    @property
    def event_list(self) -> str:
        """``start`` or ``Complete`` on list replies, '' otherwise (lower-cased)."""
        return self.get("EventList").lower()

    def variables(self) -> dict[str, str]:
        """``Variable: NAME=value`` headers (Status, Originate echoes) as a dict; last wins."""
        result: dict[str, str] = {}
        for item in self.get_all("Variable"):
            name, _, value = item.partition("=")
            result[name] = value
        return result

    def chan_variables(self) -> dict[str, str]:
        """``ChanVariable: NAME=value`` headers: the manager.conf ``channelvars`` of a channel."""
        result: dict[str, str] = {}
        for item in self.get_all("ChanVariable"):
            name, _, value = item.partition("=")
            result[name] = value
        return result

    def masked(self) -> tuple[tuple[str, str], ...]:
        """Headers safe to log: ``Secret`` and ``Key`` values replaced."""
        return tuple(
            (k, "***") if k.lower() in ("secret", "key") else (k, v) for k, v in self.headers
        )
