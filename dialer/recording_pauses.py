"""Every pause of a call's recording (card details read aloud): who, when, which call, how long.

A row is opened when the agent pauses and closed when the recording resumes: by the agent, by
the time limit, or because the call ended. ``pauses_of_call`` is what a recording's metadata
shows (the QA pages read it by call id).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from renewals.models import Base
from renewals.sqltypes import UtcDateTime

__all__ = ["RecordingPause", "close_pause", "open_pause", "pauses_of_call"]


class RecordingPause(Base):
    """One pause; ``ended_by`` is ``agent``, ``limit`` or ``call_end`` (None while it lasts)."""

    __tablename__ = "recording_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[str] = mapped_column(String(64), index=True)
    agent_id: Mapped[str] = mapped_column(String(40), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    ended_by: Mapped[str | None] = mapped_column(String(12), nullable=True)

    @property
    def duration_s(self) -> float | None:
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds()


def open_pause(session: Session, *, call_id: str, agent_id: str, at: datetime) -> RecordingPause:
    pause = RecordingPause(call_id=call_id, agent_id=agent_id, started_at=at)
    session.add(pause)
    session.flush()
    return pause


def close_pause(session: Session, *, call_id: str, at: datetime, by: str) -> RecordingPause | None:
    """Close the call's open pause (if any); returns it."""
    pause = session.scalars(
        select(RecordingPause).where(
            RecordingPause.call_id == call_id, RecordingPause.ended_at.is_(None)
        )
    ).first()
    if pause is not None:
        pause.ended_at, pause.ended_by = max(at, pause.started_at), by
    return pause


def pauses_of_call(session: Session, call_id: str) -> list[dict[str, object]]:
    """The call's pauses, oldest first, as plain data (times ISO, duration in seconds)."""
    rows = session.scalars(
        select(RecordingPause)
        .where(RecordingPause.call_id == call_id)
        .order_by(RecordingPause.started_at, RecordingPause.id)
    )
    return [
        {
            "agent_id": p.agent_id,
            "started_at": p.started_at.isoformat(),
            "ended_at": p.ended_at.isoformat() if p.ended_at else None,
            "duration_s": p.duration_s,
            "ended_by": p.ended_by,
        }
        for p in rows
    ]
