"""Errors of the supervisors' floor (all are ``DialerError``).

DialerError
└── FloorError        a supervisor action cannot be done as asked
    └── NotOnCall     listen/whisper/barge on a call no agent is talking on (``call_id``)
"""

from __future__ import annotations

from dialer.errors import DialerError

__all__ = ["FloorError", "NotOnCall"]


class FloorError(DialerError):
    """Base of every floor error."""


class NotOnCall(FloorError):
    """No agent is talking on ``call_id`` (not bridged yet, already ended, or DEAD)."""

    def __init__(self, call_id: str, why: str) -> None:
        super().__init__(f"call {call_id}: no agent is on it ({why})")
        self.call_id = call_id
        self.why = why
