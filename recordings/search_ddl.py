"""The transcript search index, which the models cannot declare: FTS5 trigram or pg_trgm.

Chinese has no spaces between words, so the index is over character trigrams of
``transcript_speakers.search_text`` (the text with all whitespace removed). SQLite gets an FTS5
table with the trigram tokenizer kept in step by triggers; PostgreSQL gets a GIN index with
pg_trgm's operator class when the extension can be created (it ships with PostgreSQL's contrib;
without it search still works, by scanning). Run from the migration and after ``create_all``.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

__all__ = ["FTS_TABLE", "TRGM_INDEX", "create_search_objects", "is_search_object"]

log = logging.getLogger(__name__)

FTS_TABLE = "transcript_fts"
TRGM_INDEX = "ix_transcript_speakers_search_trgm"

# Constant DDL (names spelled out): FTS5 over transcript_speakers.search_text, kept by triggers.
_SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS transcript_fts USING fts5(search_text,"
    " content='transcript_speakers', content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS transcript_fts_ai AFTER INSERT ON transcript_speakers BEGIN"
    " INSERT INTO transcript_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS transcript_fts_ad AFTER DELETE ON transcript_speakers BEGIN"
    " INSERT INTO transcript_fts(transcript_fts, rowid, search_text)"
    " VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS transcript_fts_au AFTER UPDATE ON transcript_speakers BEGIN"
    " INSERT INTO transcript_fts(transcript_fts, rowid, search_text)"
    " VALUES ('delete', old.rowid, old.search_text);"
    " INSERT INTO transcript_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END",
)


def is_search_object(name: str | None) -> bool:
    """Objects made here (for Alembic's comparison, which must not propose dropping them)."""
    return bool(name) and (name == TRGM_INDEX or str(name).startswith(FTS_TABLE))


def create_search_objects(connection: Connection) -> bool:
    """Create the index for this backend; False when PostgreSQL has no pg_trgm to give."""
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE:
            connection.execute(text(statement))
        return True
    if connection.dialect.name != "postgresql":
        return False
    try:
        with connection.begin_nested():
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except DBAPIError as exc:
        log.warning("pg_trgm unavailable, transcript search will scan: %s", exc.orig)
        return False
    schema = connection.scalar(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    )
    # The operator class is named with its schema: the extension may live outside search_path.
    opclass = f'"{schema}".gin_trgm_ops'
    connection.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON transcript_speakers"
            f" USING gin (search_text {opclass})"
        )
    )
    return True
