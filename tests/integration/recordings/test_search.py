"""Transcript search in Chinese on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from recordings.models import Speaker
from recordings.search import CallFilter, Hit, find_calls, search_transcripts
from recordings.search_ddl import FTS_TABLE, TRGM_INDEX
from tests.integration.recordings.support import CALL_START, recording_row, transcript_row


def _calls(session: Session) -> tuple[int, int, int]:
    a = recording_row(session, agent="a1", outcome="agreed", duration_ms=90_000)
    transcript_row(
        session,
        a,
        [("您好", 0.5), ("我是", 1.0), ("平安", 1.5), ("车险", 2.0), ("的", 2.3), ("客服", 2.5)],
        customer_text="我 考虑 一下",
    )
    b = recording_row(session, agent="a2", outcome="declined", duration_ms=30_000)
    transcript_row(session, b, [("续保", 0.5), ("价格", 1.0), ("优惠", 1.5)], "太 贵 了")
    c = recording_row(session, agent="a1", outcome="agreed", duration_ms=20_000)
    transcript_row(session, c, [("Hello", 0.2), ("World", 0.9)])
    return a.id, b.id, c.id


def test_chinese_words_are_found_without_their_spaces(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        a, b, c = _calls(s)
    with session_factory() as s:
        assert search_transcripts(s, "车险的客服") == [Hit(a, Speaker.AGENT)]  # trigram path
        assert search_transcripts(s, "车险 的 客服") == [Hit(a, Speaker.AGENT)]
        assert search_transcripts(s, "车险") == [Hit(a, Speaker.AGENT)]  # two characters
        assert search_transcripts(s, "贵") == [Hit(b, Speaker.CUSTOMER)]
        assert search_transcripts(s, "考虑一下") == [Hit(a, Speaker.CUSTOMER)]
        assert search_transcripts(s, "hello world") == [Hit(c, Speaker.AGENT)]
        assert search_transcripts(s, "车险客服") == []
        assert search_transcripts(s, "100%") == [] and search_transcripts(s, '"') == []
        assert search_transcripts(s, "  ") == []


def test_calls_are_filtered_by_every_field(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        a, b, c = _calls(s)
    with session_factory() as s:

        def ids(**kw: object) -> list[int]:
            return [r.id for r in find_calls(s, CallFilter(**kw))]  # type: ignore[arg-type]

        assert ids(agent="a1") == [c, a]
        assert ids(outcome="declined") == [b]
        assert ids(campaign_id="c1", min_duration_s=60) == [a]
        assert ids(max_duration_s=25) == [c]
        assert ids(words="平安车险", agent="a1") == [a]
        assert ids(words="价格", agent="a1") == []
        assert ids(since=CALL_START, until=CALL_START + timedelta(seconds=1)) == [c, b, a]
        assert ids(since=CALL_START + timedelta(seconds=1)) == []


def test_the_search_index_exists(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = conn.scalar(
                text("SELECT name FROM sqlite_master WHERE name = :n"), {"n": FTS_TABLE}
            )
        else:
            found = conn.scalar(
                text("SELECT indexname FROM pg_indexes WHERE indexname = :n"), {"n": TRGM_INDEX}
            )
    assert found
