"""QA holds: a recording kept past its retention (a complaint, a dispute) until released.

One active hold per recording at a time; releasing keeps the row (who placed and released it,
when) as the record, and ``upkeep.purge`` skips a recording while a hold is active.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordings.errors import QaError, RecordingNotFound
from recordings.models import QaHold, Recording

__all__ = ["active_hold", "place_hold", "release_hold"]

log = logging.getLogger(__name__)


def active_hold(session: Session, recording_id: int) -> QaHold | None:
    return session.scalar(
        select(QaHold).where(QaHold.recording_id == recording_id, QaHold.released_at.is_(None))
    )


def place_hold(
    session: Session, recording_id: int, *, by: str, reason: str, now: datetime
) -> QaHold:
    """Hold a recording (QaError if it is held already or no reason is given)."""
    if session.get(Recording, recording_id) is None:
        raise RecordingNotFound(recording_id)
    if not reason.strip():
        raise QaError("a hold needs a reason")
    if active_hold(session, recording_id) is not None:
        raise QaError(f"recording {recording_id} is on hold already")
    hold = QaHold(recording_id=recording_id, placed_by=by, reason=reason.strip(), placed_at=now)
    session.add(hold)
    session.flush()
    log.info("recording %s put on hold by %s", recording_id, by)
    return hold


def release_hold(session: Session, recording_id: int, *, by: str, now: datetime) -> QaHold:
    """Release the active hold (QaError if there is none)."""
    hold = active_hold(session, recording_id)
    if hold is None:
        raise QaError(f"recording {recording_id} is not on hold")
    hold.released_by, hold.released_at = by, now
    log.info("hold on recording %s released by %s", recording_id, by)
    return hold
