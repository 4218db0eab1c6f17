"""Playback and download of a recording by a user: allowed or not, and always logged.

The web app calls ``open_for_user`` and streams the path it returns. The file is found from the
recording's id and the speaker (an enum), never from a path the user sent, and the stored path
is still checked to stay inside the store.
"""

from __future__ import annotations

import enum
import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from recordings.errors import AccessDenied, RecordingNotFound
from recordings.models import Recording, RecordingAccess, RecordingFile, Speaker
from recordings.store import RecordingStore

__all__ = ["ALL_CALLS_ROLES", "LOG_WINDOW", "AccessKind", "open_for_user"]

log = logging.getLogger(__name__)

# Roles that may hear any call; everyone else (an agent) hears only their own calls.
ALL_CALLS_ROLES = frozenset({"qa", "supervisor", "admin"})
# A player asks for a file in many byte ranges (each seek is a request): within this window the
# same user's accesses to the same side are one logged playback, not one row per range.
LOG_WINDOW = timedelta(minutes=10)


class AccessKind(enum.StrEnum):
    PLAY = "play"
    DOWNLOAD = "download"


def open_for_user(
    session: Session,
    store: RecordingStore,
    *,
    user: str,
    role: str,
    recording_id: int,
    speaker: Speaker | str,
    kind: AccessKind,
    now: datetime,
    agent_id: str = "",
) -> Path:
    """The stored file to send, after checking the user may have it; the access is logged.

    An agent's own calls are those whose ``agent`` is their ``agent_id`` (their extension, as
    the dialer records it; ``user`` when not given). ``user`` is who the log names.
    """
    try:
        side = Speaker(speaker)
    except ValueError:
        raise RecordingNotFound(f"{recording_id}/{speaker}") from None
    rec = session.get(Recording, recording_id)
    if rec is None or rec.purged_at is not None:
        raise RecordingNotFound(recording_id)
    if role not in ALL_CALLS_ROLES and rec.agent != (agent_id or user):
        log.warning("%s (%s) refused recording %s", user, role, recording_id)
        raise AccessDenied(user, recording_id)
    stored = session.scalar(
        select(RecordingFile.path).where(
            RecordingFile.recording_id == recording_id, RecordingFile.speaker == side
        )
    )
    if stored is None:
        raise RecordingNotFound(recording_id)
    path = store.resolve(stored)
    if not path.is_file():
        raise RecordingNotFound(recording_id)
    if not _logged_lately(session, user, recording_id, side, kind, now):
        session.add(
            RecordingAccess(
                recording_id=recording_id, user=user, action=kind.value, speaker=side.value, at=now
            )
        )
        log.info("%s %s recording %s (%s)", user, kind.value, recording_id, side.value)
    return path


def _logged_lately(
    session: Session, user: str, recording_id: int, side: Speaker, kind: AccessKind, now: datetime
) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    RecordingAccess.recording_id == recording_id,
                    RecordingAccess.user == user,
                    RecordingAccess.speaker == side.value,
                    RecordingAccess.action == kind.value,
                    RecordingAccess.at > now - LOG_WINDOW,
                )
            )
        )
    )
