"""Request and response bodies of the JSON API (names follow *Create*/*Public*)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from renewals.models import DeclineReason, DispositionKind

__all__ = [
    "CallbackCreate",
    "DialPublic",
    "DispositionCreate",
    "DispositionPublic",
    "DoNotCallCreate",
    "PauseCreate",
    "SeatLoginCreate",
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeatLoginCreate(_Body):
    campaign_id: str | None = Field(default=None, max_length=40)


class PauseCreate(_Body):
    code: str = Field(min_length=1, max_length=40)


class DispositionCreate(_Body):
    """The wrap-up form. ``callback_at`` without an offset is read in the configured zone;
    ``then`` is what the seat does next: ``ready`` (the next call) or ``pause`` with a code."""

    call_id: str = Field(min_length=1, max_length=64)
    kind: DispositionKind
    decline_reason: DeclineReason | None = None
    callback_at: datetime | None = None
    deal_date: date | None = None
    premium_cents: int | None = Field(default=None, gt=0, le=10**11)
    gifts: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)
    then: Literal["ready", "pause"] = "ready"
    pause_code: str | None = Field(default=None, max_length=40)
    callback_kept: bool = False  # a callback for this agent alone (sticky), else the team's


class DispositionPublic(BaseModel):
    id: int
    lead_id: int
    kind: DispositionKind
    next_contact_at: datetime | None
    lead_status: str


class DialPublic(BaseModel):
    call_id: str
    lead_id: int


class CallbackCreate(_Body):
    """A callback booked on one of the agent's leads. ``at`` without an offset is read in the
    configured zone; ``kept``: for this agent alone (sticky), else for the team."""

    at: datetime
    kept: bool = True
    notes: str = Field(default="", max_length=2000)


class DoNotCallCreate(_Body):
    """The do-not-call button; ``call_id``: the call in which the customer asked (if any)."""

    call_id: str | None = Field(default=None, min_length=1, max_length=64)
