"""The IVR's table: one row per IVR call, with the path taken and what it came to.

The lead's own history gets a ``contact_attempts`` row (channel ``ivr``) as well, so agents see
IVR outcomes where they see calls; this table keeps what only the IVR knows (flow, keys).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from renewals.models import Base
from renewals.sqltypes import UtcDateTime

__all__ = ["IvrSession"]

UTC_TS = UtcDateTime()


class IvrSession(Base):
    __tablename__ = "ivr_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(String(64), unique=True)
    flow: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))  # inbound | reminder
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), nullable=True, index=True)
    phone: Mapped[str] = mapped_column(String(20), default="")
    language: Mapped[str] = mapped_column(String(8), default="zh_CN")
    started_at: Mapped[datetime] = mapped_column(UTC_TS, index=True)
    ended_at: Mapped[datetime] = mapped_column(UTC_TS)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    callback_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    transfer_to: Mapped[str | None] = mapped_column(String(80), nullable=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    caller_hung_up: Mapped[bool] = mapped_column(Boolean, default=False)
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
