"""The floor's own event: a call was placed (the telephony port's events start at ringing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["CallPlaced"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CallPlaced:
    """The runtime asked the network to dial ``call_id`` for ``campaign_id``.

    ``number_masked`` is the customer's number as agents and supervisors may see it
    (``138****5678``); the full number never goes on the bus. ``agent_id`` is set for a
    preview call, which goes to that agent only.
    """

    call_id: str
    campaign_id: str
    lead_id: str
    number_masked: str
    at: datetime
    agent_id: str = ""
