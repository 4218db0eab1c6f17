"""The seat desk's event: one seat changed state (published on the bus for consoles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dialer.models import SeatState

__all__ = ["SeatChanged"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SeatChanged:
    """``agent_id``'s seat moved to ``state`` at ``at`` (UTC); ``call_id`` is "" when none."""

    agent_id: str
    campaign_id: str
    state: SeatState
    at: datetime
    reason: str = ""
    call_id: str = ""
