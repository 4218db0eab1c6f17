"""Tables of the dialer: campaigns, seats (agents' states) and their state history.

They live on the renewals metadata so one Alembic history covers the whole schema.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from renewals.models import Base
from renewals.sqltypes import UtcDateTime, value_enum

__all__ = ["Campaign", "CampaignMode", "CampaignStatus", "Seat", "SeatEvent", "SeatState"]


class CampaignMode(enum.StrEnum):
    PREVIEW = "preview"
    PROGRESSIVE = "progressive"
    PREDICTIVE = "predictive"


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


class SeatState(enum.StrEnum):
    LOGGED_OUT = "logged_out"
    READY = "ready"
    RESERVED = "reserved"  # a call is being handed to this seat
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    PAUSED = "paused"


class Campaign(Base):
    """A dialing campaign over a filtered set of renewal leads."""

    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    mode: Mapped[CampaignMode] = mapped_column(value_enum(CampaignMode, "campaign_mode"))
    status: Mapped[CampaignStatus] = mapped_column(
        value_enum(CampaignStatus, "campaign_status"), default=CampaignStatus.DRAFT
    )
    queue: Mapped[str] = mapped_column(String(40))
    # Lead filter: lists of stage values and regions; empty means any; owner None means any.
    filter_stages: Mapped[list[str]] = mapped_column(JSON, default=list)
    filter_regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    filter_owner: Mapped[str | None] = mapped_column(String(40), nullable=True)
    abandon_cap_pct: Mapped[float] = mapped_column(Float, default=3.0)
    max_lines_per_agent: Mapped[float] = mapped_column(Float, default=3.0)
    ring_timeout_s: Mapped[int] = mapped_column(Integer, default=25)
    wrap_up_limit_s: Mapped[int] = mapped_column(Integer, default=60)
    caller_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    caller_id_daily_cap: Mapped[int] = mapped_column(Integer, default=300)
    calling_start: Mapped[str | None] = mapped_column(String(5), nullable=True)  # "09:00"
    calling_end: Mapped[str | None] = mapped_column(String(5), nullable=True)  # "21:00"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Seat(Base):
    """An agent's seat in a campaign and its current state."""

    __tablename__ = "seats"

    agent_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"), nullable=True)
    state: Mapped[SeatState] = mapped_column(
        value_enum(SeatState, "seat_state"), default=SeatState.LOGGED_OUT
    )
    since: Mapped[datetime] = mapped_column(UtcDateTime())
    pause_reason: Mapped[str] = mapped_column(String(40), default="")
    call_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The agent's last sign of life (login, console or bot heartbeat); null = never heard. A
    # seat not heard from within the desk's lapse time is not counted and is logged out.
    heard_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class SeatEvent(Base):
    """Every state change of every seat, timestamped (reports and the wallboard read these)."""

    __tablename__ = "seat_events"
    __table_args__ = (Index("ix_seat_events_agent_at", "agent_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(40))
    campaign_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    state: Mapped[SeatState] = mapped_column(value_enum(SeatState, "seat_state_event"))
    reason: Mapped[str] = mapped_column(String(40), default="")
    call_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
