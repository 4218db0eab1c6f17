"""Events of the bus itself (not of any part): the signal to re-sync."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["BusResync"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BusResync:
    """Events may have been missed (the broker link dropped, or a publisher could not publish).

    Every subscription receives it whatever types it asked for: the subscriber re-reads the
    state it keeps (from the database or the telephony port's ``live_calls()``) and goes on
    with the events that follow, which it must apply idempotently.
    """

    at: datetime
    reason: str
