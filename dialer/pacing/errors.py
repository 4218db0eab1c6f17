"""Errors of the pacing part (all are ``DialerError``).

DialerError
└── PacingError          pacing could not decide
    └── InvalidSnapshot  a snapshot whose numbers contradict each other (``field``)
"""

from __future__ import annotations

from dialer.errors import DialerError

__all__ = ["InvalidSnapshot", "PacingError"]


class PacingError(DialerError):
    """Base of every pacing error."""


class InvalidSnapshot(PacingError):
    """A snapshot field is out of range or contradicts another field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid pacing snapshot: {field}: {reason}")
        self.field = field
        self.reason = reason
