"""The durable transcription queue: rows of ``transcription_jobs``, claimed under a lease.

- A claim is a compare-and-set UPDATE (``WHERE status = pending OR lease ran out``): of two
  workers racing for one job exactly one gets it. On PostgreSQL the candidates are also picked
  ``FOR UPDATE SKIP LOCKED`` so workers do not queue up behind each other's rows; on SQLite,
  which has one writer at a time, the conditional UPDATE alone is the safe equivalent.
- A job survives a crash: its worker's lease runs out and another worker claims it again.
- Each claim counts an attempt; past ``max_attempts`` the job is failed, not retried forever.
- The transcript and the job's completion are one transaction: a worker killed before its
  commit leaves no transcript at all, and a worker that lost its lease writes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, and_, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from recordings.models import JobStatus, Transcript, TranscriptionJob, TranscriptSpeaker
from recordings.textnorm import squash
from recordings.transcriber import CallTranscript

__all__ = ["Claim", "claim", "complete", "counts", "fail"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    job_id: int
    recording_id: int
    attempt: int


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        TranscriptionJob.status == JobStatus.PENDING,
        and_(TranscriptionJob.status == JobStatus.RUNNING, TranscriptionJob.lease_until < now),
    )


def _updated(result: object) -> int:
    assert isinstance(result, CursorResult)
    return result.rowcount


def claim(
    session: Session, *, worker: str, now: datetime, lease: timedelta, max_attempts: int
) -> Claim | None:
    """Take the oldest claimable job for ``worker``; None when there is none. Commits."""
    while True:
        stmt = select(TranscriptionJob.id, TranscriptionJob.attempts).where(_claimable(now))
        stmt = stmt.order_by(TranscriptionJob.id).limit(1)
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        row = session.execute(stmt).first()
        if row is None:
            session.commit()
            return None
        job_id, attempts = row
        if attempts >= max_attempts:  # its last worker died holding it
            values: dict[str, object] = {
                "status": JobStatus.FAILED,
                "finished_at": now,
                "lease_until": None,
                "last_error": f"gave up after {attempts} attempts (worker lost)",
            }
        else:
            values = {
                "status": JobStatus.RUNNING,
                "worker": worker,
                "lease_until": now + lease,
                "attempts": attempts + 1,
            }
        won = _updated(
            session.execute(
                update(TranscriptionJob)
                .where(TranscriptionJob.id == job_id, _claimable(now))
                .values(**values)
            )
        )
        session.commit()
        if won and values["status"] is JobStatus.RUNNING:
            recording_id = session.scalar(
                select(TranscriptionJob.recording_id).where(TranscriptionJob.id == job_id)
            )
            assert recording_id is not None
            log.info("job %s (recording %s) claimed by %s", job_id, recording_id, worker)
            return Claim(job_id=job_id, recording_id=recording_id, attempt=attempts + 1)
        if won:
            log.warning("job %s failed: %s", job_id, values["last_error"])


def _still_mine(session: Session, c: Claim, worker: str, now: datetime, status: JobStatus) -> bool:
    return bool(
        _updated(
            session.execute(
                update(TranscriptionJob)
                .where(
                    TranscriptionJob.id == c.job_id,
                    TranscriptionJob.worker == worker,
                    TranscriptionJob.status == JobStatus.RUNNING,
                    TranscriptionJob.attempts == c.attempt,
                )
                .values(status=status, finished_at=now, lease_until=None)
            )
        )
    )


def complete(
    session: Session, c: Claim, *, worker: str, transcript: CallTranscript, now: datetime
) -> bool:
    """Store the transcript and mark the job done, together; False if the lease was lost."""
    if not _still_mine(session, c, worker, now, JobStatus.DONE):
        session.rollback()
        log.warning("job %s: lease lost, transcript dropped", c.job_id)
        return False
    session.merge(
        Transcript(
            recording_id=c.recording_id,
            model=transcript.model,
            created_at=now,
            duration_ms=transcript.duration_ms,
            longest_silence_ms=transcript.longest_silence_ms,
            talk_over_ms=transcript.talk_over_ms,
            speakers=[
                TranscriptSpeaker(
                    speaker=s.speaker,
                    channel=s.channel,
                    text=s.text,
                    search_text=squash(s.text),
                    talk_ms=s.talk_ms,
                    words=[
                        {"word": w.word, "start": w.start, "end": w.end, "conf": w.conf}
                        for w in s.words
                    ],
                )
                for s in transcript.speakers
            ],
        )
    )
    session.commit()
    log.info("job %s done (recording %s)", c.job_id, c.recording_id)
    return True


def fail(
    session: Session, c: Claim, *, worker: str, error: str, now: datetime, max_attempts: int
) -> None:
    """Record a failed attempt: back to pending while attempts remain, else failed."""
    final = c.attempt >= max_attempts
    values: dict[str, object] = {
        "status": JobStatus.FAILED if final else JobStatus.PENDING,
        "last_error": error[:2000],
        "lease_until": None,
        "worker": None,
        "finished_at": now if final else None,
    }
    session.execute(
        update(TranscriptionJob)
        .where(TranscriptionJob.id == c.job_id, TranscriptionJob.worker == worker)
        .values(**values)
    )
    session.commit()
    log.warning(
        "job %s attempt %s failed%s: %s", c.job_id, c.attempt, " for good" if final else "", error
    )


def counts(session: Session) -> dict[JobStatus, int]:
    rows = session.execute(
        select(TranscriptionJob.status, func.count()).group_by(TranscriptionJob.status)
    )
    return {JobStatus(status): n for status, n in rows}
