"""Tables of the recording store and of transcription (on the renewals metadata).

A recording is one finished call. Its audio is stored as one compressed file per speaker
(``recording_files``), so the two sides never bleed into each other whatever the codec does.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Connection, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recordings.search_ddl import create_search_objects
from renewals.models import Base
from renewals.sqltypes import UtcDateTime, value_enum

__all__ = [
    "ChannelLayout",
    "JobStatus",
    "QaHold",
    "Recording",
    "RecordingAccess",
    "RecordingFile",
    "Speaker",
    "Transcript",
    "TranscriptSpeaker",
    "TranscriptionJob",
]

UTC_TS = UtcDateTime()


class Speaker(enum.StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"


class ChannelLayout(enum.StrEnum):
    """Which channel of the source WAV is the agent (the simulated network, MixMonitor differ)."""

    AGENT_LEFT = "agent_left"  # dialer/simulated/recorder.py
    CUSTOMER_LEFT = "customer_left"  # MixMonitor option D (config/asterisk/extensions.conf)

    def channel_of(self, speaker: Speaker) -> int:
        agent = 0 if self is ChannelLayout.AGENT_LEFT else 1
        return agent if speaker is Speaker.AGENT else 1 - agent


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # gave up after the configured number of attempts


class Recording(Base):
    """One finished call's recording, with where it came from and how long it is kept."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("contact_attempts.id"), unique=True)
    call_id: Mapped[str] = mapped_column(String(64), unique=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    campaign_id: Mapped[str] = mapped_column(String(40), index=True)
    agent: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    call_started_at: Mapped[datetime] = mapped_column(UTC_TS, index=True)
    duration_ms: Mapped[int] = mapped_column(Integer)
    channels: Mapped[int] = mapped_column(Integer)
    sample_rate: Mapped[int] = mapped_column(Integer)
    source_layout: Mapped[ChannelLayout] = mapped_column(value_enum(ChannelLayout, "layout"))
    source_bytes: Mapped[int] = mapped_column(BigInteger)  # the WAV as the telephony wrote it
    registered_at: Mapped[datetime] = mapped_column(UTC_TS)
    retain_until: Mapped[datetime] = mapped_column(UTC_TS, index=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)

    files: Mapped[list[RecordingFile]] = relationship(
        back_populates="recording", cascade="all, delete-orphan", order_by="RecordingFile.speaker"
    )


class RecordingFile(Base):
    """One speaker's audio: a mono Ogg Opus file under the store's root (path built by us)."""

    __tablename__ = "recording_files"

    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True
    )
    speaker: Mapped[Speaker] = mapped_column(value_enum(Speaker, "speaker"), primary_key=True)
    path: Mapped[str] = mapped_column(String(255), unique=True)  # relative to the store root
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))

    recording: Mapped[Recording] = relationship(back_populates="files")


class RecordingAccess(Base):
    """Every playback and download by a user: who, when, which recording."""

    __tablename__ = "recording_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), index=True)
    user: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(12))  # play | download
    speaker: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTC_TS)


class QaHold(Base):
    """A hold keeps a recording past its retention (a dispute, a complaint) until released."""

    __tablename__ = "qa_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), index=True)
    placed_by: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    placed_at: Mapped[datetime] = mapped_column(UTC_TS)
    released_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    released_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)


class TranscriptionJob(Base):
    """A durable job: a worker claims it with a lease; a crashed worker's lease runs out."""

    __tablename__ = "transcription_jobs"
    __table_args__ = (Index("ix_transcription_jobs_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), unique=True)
    status: Mapped[JobStatus] = mapped_column(value_enum(JobStatus, "job_status"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(80), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    finished_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)


class Transcript(Base):
    """A recording's transcript: written whole in one transaction with its job's completion."""

    __tablename__ = "transcripts"

    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    duration_ms: Mapped[int] = mapped_column(Integer)
    longest_silence_ms: Mapped[int] = mapped_column(Integer)
    talk_over_ms: Mapped[int] = mapped_column(Integer)

    speakers: Mapped[list[TranscriptSpeaker]] = relationship(
        cascade="all, delete-orphan", order_by="TranscriptSpeaker.channel"
    )


class TranscriptSpeaker(Base):
    """One side's words with times (seconds) and confidences; ``search_text`` feeds search."""

    __tablename__ = "transcript_speakers"

    recording_id: Mapped[int] = mapped_column(
        ForeignKey("transcripts.recording_id", ondelete="CASCADE"), primary_key=True
    )
    speaker: Mapped[Speaker] = mapped_column(value_enum(Speaker, "speaker"), primary_key=True)
    channel: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)
    words: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    talk_ms: Mapped[int] = mapped_column(Integer)


def _after_create(_target: object, connection: Connection, **_kw: object) -> None:
    create_search_objects(connection)


# Declared with the table, like its columns: ``create_all`` builds the search index too.
event.listen(TranscriptSpeaker.__table__, "after_create", _after_create)
