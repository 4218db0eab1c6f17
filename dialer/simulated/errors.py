"""Errors of the simulated network (under ``dialer.errors.DialerError``).

DialerError
├── ProfileError            a simulation profile is malformed (also a ``ValueError``)
└── PromptUnavailable       a prompt is neither installed nor renderable (also a ``LookupError``)
"""

from __future__ import annotations

from dialer.errors import DialerError

__all__ = ["ProfileError", "PromptUnavailable"]


class ProfileError(DialerError, ValueError):
    """A simulation profile is malformed; ``field`` names the offending field."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


class PromptUnavailable(DialerError, LookupError):
    """No WAV file for the prompt and it could not be rendered with espeak-ng."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"prompt {name!r}: {reason}")
        self.name = name
