"""Finding calls: by agent, date, campaign, outcome, duration and words said (Chinese too).

Words are matched as a substring of the squashed transcript text (no whitespace, case folded),
which suits Chinese, written without spaces. SQLite answers from the FTS5 trigram index for
three characters or more and by scanning for one or two; PostgreSQL uses ILIKE, which pg_trgm's
GIN index serves (search_ddl.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, column, select, table, text
from sqlalchemy.orm import Session

from recordings.models import Recording, Speaker, TranscriptSpeaker
from recordings.textnorm import squash

__all__ = ["CallFilter", "Hit", "find_calls", "search_transcripts"]

_fts = table("transcript_fts", column("rowid"))


@dataclass(frozen=True)
class Hit:
    recording_id: int
    speaker: Speaker


@dataclass(frozen=True)
class CallFilter:
    """Every field optional; ``words`` is matched in either speaker's transcript."""

    agent: str | None = None
    campaign_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_duration_s: int | None = None
    max_duration_s: int | None = None
    words: str | None = None


def _like_pattern(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matching(session: Session, words: str) -> Select[tuple[int, Speaker]]:
    needle = squash(words)
    stmt = select(TranscriptSpeaker.recording_id, TranscriptSpeaker.speaker)
    if session.get_bind().dialect.name == "sqlite" and len(needle) >= 3:
        phrase = '"' + needle.replace('"', '""') + '"'
        rowid = text("transcript_speakers.rowid")
        return stmt.join(_fts, _fts.c.rowid == rowid).where(
            text("transcript_fts MATCH :phrase").bindparams(phrase=phrase)
        )
    return stmt.where(TranscriptSpeaker.search_text.ilike(_like_pattern(needle), escape="\\"))


def search_transcripts(session: Session, words: str, *, limit: int = 100) -> list[Hit]:
    """Transcript sides containing ``words`` (spaces ignored), newest recordings first."""
    if not squash(words):
        return []
    stmt = _matching(session, words).order_by(TranscriptSpeaker.recording_id.desc()).limit(limit)
    return [Hit(rid, Speaker(sp)) for rid, sp in session.execute(stmt)]


def find_calls(session: Session, f: CallFilter, *, limit: int = 200) -> list[Recording]:
    """Recordings (not purged) matching every given field of ``f``, newest first."""
    stmt = select(Recording).where(Recording.purged_at.is_(None))
    if f.agent is not None:
        stmt = stmt.where(Recording.agent == f.agent)
    if f.campaign_id is not None:
        stmt = stmt.where(Recording.campaign_id == f.campaign_id)
    if f.outcome is not None:
        stmt = stmt.where(Recording.outcome == f.outcome)
    if f.since is not None:
        stmt = stmt.where(Recording.call_started_at >= f.since)
    if f.until is not None:
        stmt = stmt.where(Recording.call_started_at < f.until)
    if f.min_duration_s is not None:
        stmt = stmt.where(Recording.duration_ms >= f.min_duration_s * 1000)
    if f.max_duration_s is not None:
        stmt = stmt.where(Recording.duration_ms <= f.max_duration_s * 1000)
    if f.words and squash(f.words):
        ids = _matching(session, f.words).with_only_columns(TranscriptSpeaker.recording_id)
        stmt = stmt.where(Recording.id.in_(ids))
    stmt = stmt.order_by(Recording.call_started_at.desc(), Recording.id.desc()).limit(limit)
    return list(session.scalars(stmt))
