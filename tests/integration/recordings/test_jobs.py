"""The durable job queue: claims never overlap, leases, retries with a limit, crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from recordings.jobs import Claim, claim, complete, fail
from recordings.models import JobStatus, Transcript, TranscriptionJob, TranscriptSpeaker
from recordings.registration import register_finished_calls
from recordings.store import RecordingStore
from recordings.transcriber import CallTranscript
from recordings.vosk_model import VoskRecognizer
from recordings.worker import WorkerConfig, work_one
from tests.integration.recordings.speech import Call
from tests.integration.recordings.support import attempt, options, recording_row, tone, write_stereo

T = datetime(2026, 3, 2, tzinfo=UTC)
LEASE = timedelta(minutes=10)
EMPTY = CallTranscript(model="m", duration_ms=0, speakers=[], silences=[], talk_over=[])


def _jobs(sessions: sessionmaker[Session], n: int) -> None:
    with sessions.begin() as s:
        for _ in range(n):
            rec = recording_row(s)
            s.add(TranscriptionJob(recording_id=rec.id, status=JobStatus.PENDING, created_at=T))


def test_racing_claims_never_take_one_job_twice(session_factory: sessionmaker[Session]) -> None:
    _jobs(session_factory, 24)
    taken: list[int] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        while True:
            with session_factory() as s:
                c = claim(s, worker=name, now=T, lease=LEASE, max_attempts=3)
            if c is None:
                return
            with lock:
                taken.append(c.job_id)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taken) == 24 and len(set(taken)) == 24


def test_a_lost_lease_is_retried_up_to_the_limit(session_factory: sessionmaker[Session]) -> None:
    _jobs(session_factory, 1)
    seen: list[Claim] = []
    with session_factory() as s:
        for n in range(3):  # each worker "dies": its lease runs out
            c = claim(s, worker=f"w{n}", now=T + n * LEASE * 2, lease=LEASE, max_attempts=3)
            assert c is not None and c.attempt == n + 1
            seen.append(c)
        assert claim(s, worker="w9", now=T + 7 * LEASE, lease=LEASE, max_attempts=3) is None
        job = s.scalars(select(TranscriptionJob)).one()
        assert job.status is JobStatus.FAILED and "gave up after 3 attempts" in job.last_error
        # The first worker wakes up late: its transcript is dropped, nothing is written.
        assert not complete(s, seen[0], worker="w0", transcript=EMPTY, now=T)
        assert s.scalar(select(func.count()).select_from(Transcript)) == 0


def test_a_failed_attempt_goes_back_to_pending_then_fails_for_good(
    session_factory: sessionmaker[Session],
) -> None:
    _jobs(session_factory, 1)
    with session_factory() as s:
        for n in (1, 2):
            c = claim(s, worker="w", now=T, lease=LEASE, max_attempts=2)
            assert c is not None and c.attempt == n
            fail(s, c, worker="w", error=f"boom {n}", now=T, max_attempts=2)
        job = s.scalars(select(TranscriptionJob)).one()
        assert (job.status, job.attempts, job.last_error) == (JobStatus.FAILED, 2, "boom 2")
        assert claim(s, worker="w", now=T, lease=LEASE, max_attempts=2) is None


@pytest.fixture
def migrated(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(db_url)
    upgrade(engine)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def _env(db_url: str, store: Path, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUBAO_")}
    env.update(XUBAO_CONFIG_FILE=str(tmp_path / "none.toml"), XUBAO_DATABASE_URL=db_url,
               XUBAO_RECORDING_STORE_DIR=str(store), XUBAO_DATA_DIR=str(tmp_path / "var"),
               XUBAO_TRANSCRIBE_LEASE_S="600", XUBAO_LOG_LEVEL="WARNING")  # fmt: skip
    return env


def _xubao(*args: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from config.cli import main; sys.exit(main())",
        *args,
    ]


def _wait_for(sessions: sessionmaker[Session], status: JobStatus, deadline_s: float) -> bool:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        with sessions() as s:
            if s.scalar(select(TranscriptionJob.status)) is status:
                return True
        time.sleep(0.05)
    return False


def test_a_worker_killed_mid_job_leaves_it_to_be_retried_and_nothing_half_written(
    migrated: sessionmaker[Session], db_url: str, tmp_path: Path, call: Call,
    recognizer: VoskRecognizer,
) -> None:  # fmt: skip
    source, store = tmp_path / "src", RecordingStore(root=tmp_path / "store")
    source.mkdir()
    (source / "call.wav").write_bytes(call.path.read_bytes())
    with migrated.begin() as s:
        attempt(s, recording_path="call.wav")
    register_finished_calls(migrated, store, options(source), now=datetime.now(UTC))
    proc = subprocess.Popen(_xubao("transcribe-worker", "--until-idle"),
                            env=_env(db_url, store.root, tmp_path))  # fmt: skip
    try:
        assert _wait_for(migrated, JobStatus.RUNNING, 180), "the worker never claimed the job"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    with migrated() as s:
        job = s.scalars(select(TranscriptionJob)).one()
        assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)
        assert s.scalar(select(func.count()).select_from(Transcript)) == 0
        assert s.scalar(select(func.count()).select_from(TranscriptSpeaker)) == 0
    later = job.lease_until + timedelta(seconds=1)  # type: ignore[operator]
    cfg = WorkerConfig(name="after-crash", lease=LEASE, max_attempts=3)
    assert work_one(migrated, store, recognizer, cfg, lambda: later) is not None
    with migrated() as s:
        job = s.scalars(select(TranscriptionJob)).one()
        assert (job.status, job.attempts, job.worker) == (JobStatus.DONE, 2, "after-crash")
        assert s.scalar(select(func.count()).select_from(TranscriptSpeaker)) == 2


@pytest.mark.postgres
def test_two_worker_processes_on_postgres_never_take_the_same_job(
    postgres_url: str, tmp_path: Path
) -> None:
    engine = create_db_engine(postgres_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    source, store = tmp_path / "src", RecordingStore(root=tmp_path / "store")
    try:
        with sessions.begin() as s:
            for n in range(8):
                write_stereo(source / f"{n}.wav", tone(1.5, 300 + 50 * n), tone(1.5, 900))
                attempt(s, recording_path=f"{n}.wav")
        register_finished_calls(sessions, store, options(source), now=datetime.now(UTC))
        run = subprocess.run(_xubao("transcribe-worker", "--processes", "2", "--until-idle"),
                             env=_env(postgres_url, store.root, tmp_path), timeout=600)  # fmt: skip
        assert run.returncode == 0
        with sessions() as s:
            jobs = s.scalars(select(TranscriptionJob)).all()
            assert len(jobs) == 8
            assert all(j.status is JobStatus.DONE and j.attempts == 1 for j in jobs)
            assert s.scalar(select(func.count()).select_from(Transcript)) == 8
    finally:
        engine.dispose()
