"""The pacer contract: a snapshot in, a number of calls to place out."""

from __future__ import annotations

from typing import Protocol

from dialer.pacing.snapshot import PacingSnapshot

__all__ = ["Pacer"]


class Pacer(Protocol):
    """Decides how many calls to place now. Pure: no I/O, no clock, no randomness."""

    name: str

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        """Calls to place now (0 or more), already within the campaign's rules."""
        ...
