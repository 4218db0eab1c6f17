"""`xubao recordings register|verify|purge` and `xubao transcribe --all-pending`, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from config.cli import main
from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from recordings.models import JobStatus, Recording, TranscriptionJob
from recordings.qa.models import QaQueueEntry, QaSamplingRule
from tests.integration.recordings.support import attempt, tone, write_stereo


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_DATABASE_URL", db_url)
    monkeypatch.setenv("XUBAO_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XUBAO_LANG", "en")
    engine = create_db_engine(db_url)
    upgrade(engine)
    engine.dispose()
    return db_url


def test_register_verify_purge_and_transcribe_all_pending(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_db_engine(env)
    sessions = make_session_factory(engine)
    recordings = tmp_path / "var" / "recordings"
    for n in range(3):
        write_stereo(recordings / f"{n}.wav", tone(1, 440), tone(1, 880))
    with sessions.begin() as s:
        s.add(QaSamplingRule(outcome="agreed", rate_pct=100))
        for n in range(3):
            attempt(s, recording_path=f"{n}.wav", outcome="agreed" if n else "declined")
    assert main(["recordings", "register"]) == 0
    assert "3 recordings registered" in capsys.readouterr().out
    with sessions() as s:
        assert len(s.scalars(select(QaQueueEntry)).all()) == 2  # the two agreed calls
        rec = s.scalars(select(Recording).order_by(Recording.id)).first()
        assert rec is not None
        path = tmp_path / "var" / "recording-store" / rec.files[0].path
    assert main(["recordings", "verify"]) == 0
    path.write_bytes(path.read_bytes()[:100])
    assert main(["recordings", "verify", "--json"]) == 1
    problems = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert [(p["recording"], p["problem"]) for p in problems] == [(rec.id, "truncated")]
    assert main(["recordings", "purge", "--dry-run"]) == 0
    assert "0 recordings past retention" in capsys.readouterr().out
    assert main(["transcribe", "--all-pending"]) == 1  # the truncated one fails
    captured = capsys.readouterr()
    assert "3/3" in captured.err and "3 jobs run; 1 failed for good" in captured.out
    with sessions() as s:
        statuses = sorted(j.status for j in s.scalars(select(TranscriptionJob)))
        assert statuses == sorted([JobStatus.DONE, JobStatus.DONE, JobStatus.FAILED])
    engine.dispose()
