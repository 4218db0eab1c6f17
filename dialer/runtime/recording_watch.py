"""The runtime's watch on paused recordings: a pause outlives its limit only by a few seconds.

The console that paused a recording (card details read aloud) resumes it at the limit. If that
process is gone (crashed, restarted, its host lost), nothing else would: the rest of the call
would be recorded as silence. The runtime that follows the call resumes any pause still open
``grace_s`` after the limit, through its own port, and closes the pause row ``limit``; at the
call's end it closes any pause left open (``call_end``) in the transaction that stores the call.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialer.recording_pauses import RecordingPause

__all__ = ["overdue_pauses"]


def overdue_pauses(
    session: Session, call_ids: Collection[str], *, now: datetime, after_s: float
) -> list[str]:
    """Of ``call_ids``, those whose recording has been paused for more than ``after_s``."""
    if not call_ids:
        return []
    started_before = now - timedelta(seconds=after_s)
    rows = session.scalars(
        select(RecordingPause.call_id)
        .where(
            RecordingPause.call_id.in_(sorted(call_ids)),  # indexed: a few live calls a tick
            RecordingPause.ended_at.is_(None),
            RecordingPause.started_at <= started_before,
        )
        .distinct()
    )
    return sorted(rows)
