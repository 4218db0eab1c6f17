"""The recording store's jobs run from the scheduler, not only from the CLI: registering the
finished calls every interval, and the daily purge (once a day, holds respected)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from config.db import create_db_engine, make_session_factory
from config.jobs import RECORDINGS_PURGE_ID, RECORDINGS_REGISTER_ID, RUN_LOG, recordings_purge
from config.scheduler import build_scheduler
from config.settings import Settings
from migrations.metadata import target_metadata
from recordings.models import JobStatus, QaHold, Recording, TranscriptionJob
from renewals.clock import FixedClock, SystemClock
from tests.integration.recordings.support import (
    CALL_START,
    attempt,
    recording_row,
    tone,
    write_stereo,
)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The scheduled entry points read their settings from the environment, as in production.
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XUBAO_DATABASE_URL", f"sqlite:///{tmp_path / 'var' / 'xubao.db'}")
    monkeypatch.setenv("XUBAO_TELEPHONY", "simulated")
    monkeypatch.setenv("XUBAO_SCHEDULER__RECORDINGS_REGISTER_INTERVAL_S", "0.2")
    return Settings.load()


@pytest.fixture
def engine(settings: Settings) -> Engine:
    eng = create_db_engine(settings.resolved_database_url)
    target_metadata.create_all(eng)
    RUN_LOG.create(eng)
    return eng


def test_the_scheduler_registers_finished_calls(engine: Engine, settings: Settings) -> None:
    wav = write_stereo(
        settings.resolved_recordings_dir / "d" / "call.wav", tone(2, 440), tone(2, 300)
    )
    sessions = make_session_factory(engine)
    with sessions.begin() as s:
        attempt_id = attempt(s, recording_path="d/call.wav").id
    scheduler = build_scheduler(engine, settings, SystemClock())
    scheduler.start()
    try:
        deadline = time.monotonic() + 60
        while True:
            with sessions() as s:
                rec = s.scalars(select(Recording).where(Recording.attempt_id == attempt_id)).first()
            if rec is not None or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        scheduler.shutdown(wait=True)
    assert rec is not None, "the scheduled register job never ran"
    with sessions() as s:
        job = s.scalars(
            select(TranscriptionJob).where(TranscriptionJob.recording_id == rec.id)
        ).one()
        assert job.status is JobStatus.PENDING
        files = s.get(Recording, rec.id).files  # type: ignore[union-attr]
        assert len(files) == 2
        assert all((settings.resolved_recording_store_dir / f.path).is_file() for f in files)
    assert not wav.exists()  # the stored copies are committed, the WAV is gone
    with engine.connect() as conn:
        runs = conn.execute(
            select(RUN_LOG.c.detail).where(RUN_LOG.c.job_id == RECORDINGS_REGISTER_ID)
        ).scalars()
        assert "registered=1 failed=0" in list(runs)
    engine.dispose()


def test_the_daily_purge_job_respects_holds_and_runs_once_a_day(
    engine: Engine, settings: Settings
) -> None:
    sessions = make_session_factory(engine)
    with sessions.begin() as s:
        old, held, young = (recording_row(s).id for _ in range(3))
        s.execute(
            update(Recording)
            .where(Recording.id.in_([old, held]))
            .values(retain_until=CALL_START + timedelta(days=1))
        )
        s.add(QaHold(recording_id=held, placed_by="qa1", reason="complaint", placed_at=CALL_START))
    clock = FixedClock(CALL_START + timedelta(days=2))
    first = recordings_purge(engine, settings, clock)
    assert first.detail == f"purged=1 ids={old}"
    assert recordings_purge(engine, settings, clock).detail == "already done"
    with sessions() as s:
        purged = {r.id: r.purged_at is not None for r in s.scalars(select(Recording))}
    assert purged == {old: True, held: False, young: False}
    engine.dispose()


def test_both_jobs_are_scheduled_and_register_can_be_switched_off(
    engine: Engine, settings: Settings
) -> None:
    clock = FixedClock(datetime(2026, 5, 1, 2, 0, tzinfo=UTC))
    ids = {job.id for job in build_scheduler(engine, settings, clock).get_jobs()}
    assert {RECORDINGS_REGISTER_ID, RECORDINGS_PURGE_ID} <= ids
    off = settings.model_copy(
        update={
            "scheduler": settings.scheduler.model_copy(
                update={"recordings_register_interval_s": 0.0}
            )
        }
    )
    ids = {job.id for job in build_scheduler(engine, off, clock).get_jobs()}
    assert RECORDINGS_REGISTER_ID not in ids and RECORDINGS_PURGE_ID in ids
    engine.dispose()
