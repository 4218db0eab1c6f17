"""Keeping the store honest: ``verify`` (every file present and unchanged) and ``purge``.

Verify never stops at the first problem: it reports every missing, truncated or altered file.
Purge removes a recording's audio and transcript only when its retention has run out and no QA
hold is active, and logs each removal; the recording's row stays, marked purged, as the record.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from recordings.errors import UnsafePath
from recordings.models import QaHold, Recording, RecordingFile, Transcript
from recordings.store import RecordingStore, sha256_of

__all__ = ["FileProblem", "Problem", "purge", "purgeable", "verify"]

log = logging.getLogger(__name__)


class Problem(enum.StrEnum):
    MISSING = "missing"
    TRUNCATED = "truncated"  # shorter than when stored
    ALTERED = "altered"  # same length or longer, but the checksum differs
    UNSAFE = "unsafe_path"  # the stored path would leave the root (a tampered row)


@dataclass(frozen=True)
class FileProblem:
    recording_id: int
    call_id: str
    path: str
    problem: Problem
    detail: str


def _check(store: RecordingStore, rec: Recording, f: RecordingFile) -> FileProblem | None:
    def problem(kind: Problem, detail: str) -> FileProblem:
        return FileProblem(rec.id, rec.call_id, f.path, kind, detail)

    try:
        path = store.resolve(f.path)
    except UnsafePath as exc:
        return problem(Problem.UNSAFE, str(exc))
    if not path.is_file():
        return problem(Problem.MISSING, "no such file")
    size = path.stat().st_size
    if size < f.size_bytes:
        return problem(Problem.TRUNCATED, f"{size} of {f.size_bytes} bytes")
    digest = sha256_of(path)
    if digest != f.sha256 or size != f.size_bytes:
        return problem(Problem.ALTERED, f"sha256 {digest}, stored {f.sha256}")
    return None


def verify(session: Session, store: RecordingStore) -> Iterator[FileProblem]:
    """Every problem with a stored file of a recording not purged, in recording order."""
    rows = session.execute(
        select(Recording, RecordingFile)
        .join(RecordingFile, RecordingFile.recording_id == Recording.id)
        .where(Recording.purged_at.is_(None))
        .order_by(Recording.id, RecordingFile.speaker)
        .execution_options(yield_per=500)
    )
    for rec, f in rows:
        found = _check(store, rec, f)
        if found is not None:
            yield found


def purgeable(session: Session, now: datetime) -> list[Recording]:
    """Recordings past retention, not purged, and without an active QA hold."""
    held = exists().where(QaHold.recording_id == Recording.id, QaHold.released_at.is_(None))
    return list(
        session.scalars(
            select(Recording)
            .where(Recording.retain_until <= now, Recording.purged_at.is_(None), ~held)
            .order_by(Recording.id)
        )
    )


def purge(
    session: Session, store: RecordingStore, *, now: datetime, dry_run: bool
) -> list[Recording]:
    """Remove the audio and transcript of every purgeable recording (nothing with ``dry_run``)."""
    found = purgeable(session, now)
    for rec in found:
        if dry_run:
            log.info(
                "would purge recording %s (call %s, kept until %s)",
                rec.id,
                rec.call_id,
                rec.retain_until.isoformat(),
            )
            continue
        for f in rec.files:
            store.remove(f.path)
        session.execute(delete(Transcript).where(Transcript.recording_id == rec.id))
        rec.purged_at = now
        log.info(
            "purged recording %s (call %s, kept until %s): %s",
            rec.id,
            rec.call_id,
            rec.retain_until.isoformat(),
            ", ".join(f.path for f in rec.files),
        )
    return found
