"""The floor's own events, the ones the telephony port does not give.

``CallPlaced``: the runtime asked the network to dial (the port's events start at ringing).
``IvrCallStarted`` / ``IvrCallEnded``: a call is in the IVR's voice menus. The IVR publishes
them (``ivr`` may import dialer's types); they live here because the floor counts them and
``dialer`` may not import ``ivr``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

__all__ = ["CallPlaced", "IvrCallEnded", "IvrCallStarted", "IvrDirection"]


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


class IvrDirection(enum.StrEnum):
    """Why the call is in the IVR: the customer called us, or our reminder call was answered."""

    INBOUND = "inbound"
    REMINDER = "reminder"


@dataclass(frozen=True, slots=True, kw_only=True)
class IvrCallStarted:
    """The IVR began running ``flow`` on ``call_id`` (answered, first prompt next).

    ``lead_id`` is the lead the call is about: a reminder's, or an inbound caller's open lead
    when the number is known; None otherwise. No phone number goes on the bus.
    """

    call_id: str
    at: datetime
    flow: str
    direction: IvrDirection
    lead_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IvrCallEnded:
    """The IVR is done with ``call_id``: the flow hung up, the caller did, or it transferred
    the call (``transfer_to``: ``agent:1001`` or ``queue:<name>``, else "").

    ``outcome`` is the session's ``renewals.cadence.Outcome`` value ("contacted", "callback",
    "opt_out" …), "" if the flow set none, "failed" if the session broke off on an error.
    """

    call_id: str
    at: datetime
    outcome: str = ""
    transfer_to: str = ""
    caller_hung_up: bool = False
