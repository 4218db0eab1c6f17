"""A transcription worker: claim a job, read the stored sides, recognise, store, repeat.

The stored files are checked against their SHA-256 before they are transcribed (an altered file
fails the job with the reason rather than producing a transcript of something else). After a
transcript is stored, the automatic QA checks run on it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from recordings.compress import decode_mono
from recordings.errors import BadRecording, RecordingNotFound, RecordingsError
from recordings.jobs import Claim, claim, complete, fail
from recordings.models import Recording
from recordings.qa.checks import run_checks
from recordings.speech import Recognizer
from recordings.store import RecordingStore, sha256_of
from recordings.transcriber import CallTranscript, Side, transcribe

__all__ = ["WorkerConfig", "run_worker", "transcribe_recording", "work_one"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerConfig:
    name: str  # unique per worker process, e.g. host:pid
    lease: timedelta
    max_attempts: int
    poll_s: float = 2.0


def transcribe_recording(
    session: Session, store: RecordingStore, recognizer: Recognizer, recording_id: int
) -> CallTranscript:
    """Transcribe a stored recording: each speaker's file alone, checked before it is read."""
    rec = session.get(Recording, recording_id)
    if rec is None or rec.purged_at is not None:
        raise RecordingNotFound(recording_id)
    sides = []
    for f in rec.files:
        path = store.resolve(f.path)
        if not path.is_file() or sha256_of(path) != f.sha256:
            raise BadRecording(f.path, "missing or altered since it was stored")
        samples, rate = decode_mono(path)
        sides.append(Side(f.speaker, rec.source_layout.channel_of(f.speaker), samples, rate))
    return transcribe(recognizer, sides)


def work_one(
    sessions: sessionmaker[Session],
    store: RecordingStore,
    recognizer: Recognizer,
    cfg: WorkerConfig,
    now: Callable[[], datetime],
) -> Claim | None:
    """Do one job if there is one; returns its claim (None when the queue is empty)."""
    with sessions() as session:
        job = claim(
            session, worker=cfg.name, now=now(), lease=cfg.lease, max_attempts=cfg.max_attempts
        )
    if job is None:
        return None
    try:
        with sessions() as session:
            transcript = transcribe_recording(session, store, recognizer, job.recording_id)
    except (RecordingsError, OSError, SQLAlchemyError) as exc:
        with sessions() as session:
            fail(
                session,
                job,
                worker=cfg.name,
                error=str(exc),
                now=now(),
                max_attempts=cfg.max_attempts,
            )
        return job
    with sessions() as session:
        done = complete(session, job, worker=cfg.name, transcript=transcript, now=now())
    if done:
        with sessions.begin() as session:
            run_checks(session, job.recording_id, now())
    return job


def run_worker(
    sessions: sessionmaker[Session],
    store: RecordingStore,
    recognizer: Recognizer,
    cfg: WorkerConfig,
    now: Callable[[], datetime],
    *,
    stop: threading.Event,
    until_idle: bool = False,
    on_job: Callable[[Claim], None] | None = None,
) -> int:
    """Work until ``stop`` is set (or, with ``until_idle``, the queue is empty); jobs done."""
    done = 0
    while not stop.is_set():
        job = work_one(sessions, store, recognizer, cfg, now)
        if job is None:
            if until_idle:
                break
            stop.wait(cfg.poll_s)  # no LISTEN/NOTIFY on SQLite: the queue is polled
            continue
        done += 1
        if on_job is not None:
            on_job(job)
    log.info("worker %s stopping after %s jobs", cfg.name, done)
    return done
