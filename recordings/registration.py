"""Registering finished calls: contact attempts with a recording become stored recordings.

Run as a job (``xubao recordings register``): each attempt with a ``recording_path`` and an end,
and no recording yet, is read from the telephony's folder, compressed per speaker into the store,
and registered with a pending transcription job, in one transaction per call. On PostgreSQL the
attempt row is locked with SKIP LOCKED, so two registration jobs never take the same call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from recordings.compress import encode_mono, read_source
from recordings.errors import RecordingsError
from recordings.models import (
    ChannelLayout,
    JobStatus,
    Recording,
    RecordingFile,
    Speaker,
    TranscriptionJob,
)
from recordings.store import RecordingStore, inside
from renewals.models import ContactAttempt

__all__ = ["RegistrationOptions", "RegistrationReport", "register_finished_calls"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistrationOptions:
    source_root: Path  # where the telephony writes its WAVs (recording_path is relative to it)
    layout: ChannelLayout
    retention: timedelta
    opus_level: float = 0.97
    keep_wav: bool = False


@dataclass
class RegistrationReport:
    registered: list[int] = field(default_factory=list)  # recording ids
    failed: dict[int, str] = field(default_factory=dict)  # attempt id → why


def _pending_attempt_ids(session: Session, limit: int) -> list[int]:
    stmt = (
        select(ContactAttempt.id)
        .outerjoin(Recording, Recording.attempt_id == ContactAttempt.id)
        .where(
            ContactAttempt.recording_path.is_not(None),
            ContactAttempt.ended_at.is_not(None),
            Recording.id.is_(None),
        )
        .order_by(ContactAttempt.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def _source_file(root: Path, recorded: str) -> Path:
    path = inside(root, recorded)
    if not path.exists() and path.suffix == ".wav" and path.with_suffix(".raw").exists():
        return path.with_suffix(".raw")  # MixMonitor D before sox converted it
    return path


def register_one(
    session: Session,
    store: RecordingStore,
    attempt_id: int,
    opts: RegistrationOptions,
    now: datetime,
    written: list[str],
) -> tuple[Recording, Path] | None:
    """Register one attempt's recording (None if another job has it or already did).

    The stored files' paths are appended to ``written`` as they are made, so a caller whose
    transaction fails can remove them: no file without its row.
    """
    attempt = session.scalars(
        select(ContactAttempt)
        .where(ContactAttempt.id == attempt_id)
        .with_for_update(skip_locked=True)
    ).one_or_none()
    if attempt is None or attempt.recording_path is None or attempt.ended_at is None:
        return None
    if session.scalar(select(Recording.id).where(Recording.attempt_id == attempt_id)):
        return None
    source = _source_file(opts.source_root, attempt.recording_path)
    audio = read_source(source, opts.layout)
    started = attempt.bridged_at or attempt.answered_at or attempt.started_at
    recording = Recording(
        attempt_id=attempt.id,
        call_id=attempt.call_id,
        lead_id=attempt.lead_id,
        campaign_id=attempt.campaign_id,
        agent=attempt.agent,
        outcome=attempt.outcome,
        call_started_at=started,
        duration_ms=audio.duration_ms,
        channels=audio.channels,
        sample_rate=audio.rate,
        source_layout=opts.layout,
        source_bytes=source.stat().st_size,
        registered_at=now,
        retain_until=started + opts.retention,
    )
    for speaker in Speaker:
        relative = store.relative_path(attempt_id=attempt.id, started=started, speaker=speaker)
        data = encode_mono(audio.sides[speaker], audio.rate, level=opts.opus_level)
        written.append(relative)
        size, digest = store.write(relative, data)
        recording.files.append(
            RecordingFile(speaker=speaker, path=relative, size_bytes=size, sha256=digest)
        )
    session.add(recording)
    session.flush()
    session.add(
        TranscriptionJob(recording_id=recording.id, status=JobStatus.PENDING, created_at=now)
    )
    return recording, source


def register_finished_calls(
    sessions: sessionmaker[Session],
    store: RecordingStore,
    opts: RegistrationOptions,
    *,
    now: datetime,
    limit: int = 1000,
    after_register: Callable[[Session, Recording], None] | None = None,
) -> RegistrationReport:
    """Register every finished call not yet registered (up to ``limit``), one transaction each.

    A call whose file is missing or unreadable is reported and left for the next run.
    ``after_register`` runs in the same transaction (QA sampling, for instance).
    """
    report = RegistrationReport()
    with sessions() as session:
        ids = _pending_attempt_ids(session, limit)
    for attempt_id in ids:
        written: list[str] = []
        try:
            with sessions.begin() as session:
                done = register_one(session, store, attempt_id, opts, now, written)
                if done is not None and after_register is not None:
                    after_register(session, done[0])
        except (RecordingsError, OSError, SQLAlchemyError) as exc:
            for relative in written:
                store.remove(relative)
            report.failed[attempt_id] = str(exc)
            log.warning("recording of attempt %s not registered: %s", attempt_id, exc)
            continue
        if done is None:
            continue
        recording, source = done
        report.registered.append(recording.id)
        log.info("registered recording %s of call %s", recording.id, recording.call_id)
        if not opts.keep_wav:
            source.unlink(missing_ok=True)  # the stored copies are committed: the WAV may go
    return report
