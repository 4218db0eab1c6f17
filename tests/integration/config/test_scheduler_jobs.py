"""Scheduler jobs are idempotent and logged; the leader locks exclude a second holder."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from config.jobs import RUN_LOG, daily_rebuild, daily_slot, refresh_due, refresh_slot
from config.leader import FileLock, PostgresAdvisoryLock
from config.scheduler import SchedulerService, _daily_is_overdue
from config.settings import Settings
from renewals.clock import FixedClock
from renewals.models import Lead
from tests import factories as f
from tests.conftest import POSTGRES_URL

AT = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    return Settings.load()


def _seed(engine: Engine) -> None:
    from config.db import make_session_factory

    with make_session_factory(engine).begin() as s:
        f.add(s, *(f.policy(end_date=date(2026, 5, 1) + timedelta(days=n)) for n in (5, 45, 90)))


def test_daily_rebuild_runs_once_per_day_and_logs_it(engine: Engine, settings: Settings) -> None:
    RUN_LOG.create(engine)
    _seed(engine)
    clock = FixedClock(AT)
    first = daily_rebuild(engine, settings, clock)
    second = daily_rebuild(engine, settings, clock)
    assert (first.detail, second.detail) == ("created=2 moved=2", "already done")
    clock.advance(timedelta(days=1))
    assert daily_rebuild(engine, settings, clock).detail == "created=0 moved=0"
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Lead.__table__)) == 2
        slots = conn.execute(select(RUN_LOG.c.slot, RUN_LOG.c.finished_at)).all()
    assert [s for s, _ in slots] == ["2026-05-01", "2026-05-02"]
    assert all(done is not None for _, done in slots)


def test_refresh_due_logs_the_due_count(engine: Engine, settings: Settings) -> None:
    RUN_LOG.create(engine)
    _seed(engine)
    clock = FixedClock(AT)
    daily_rebuild(engine, settings, clock)
    run = refresh_due(engine, settings, clock)
    assert run.detail.startswith("due=2 head=")
    assert run.slot == "2026-05-01T02:00:00.000+00:00"
    # A standby taking over inside the same interval does not run it a second time.
    assert refresh_due(engine, settings, clock).detail == "already done"
    clock.advance(timedelta(seconds=settings.scheduler.refresh_interval_s))
    assert refresh_due(engine, settings, clock).detail.startswith("due=2 head=")


def test_slots() -> None:
    assert daily_slot(datetime(2026, 4, 30, 16, 30, tzinfo=UTC), "Asia/Shanghai") == "2026-05-01"
    at = datetime(2026, 5, 1, 2, 0, 59, 900_000, tzinfo=UTC)
    assert refresh_slot(at, 60) == "2026-05-01T02:00:00.000+00:00"
    assert refresh_slot(at, 0.5) == "2026-05-01T02:00:59.500+00:00"


def test_daily_catch_up_only_after_the_hour_and_when_not_done(
    engine: Engine, settings: Settings
) -> None:
    RUN_LOG.create(engine)
    late = settings.model_copy(
        update={"scheduler": settings.scheduler.model_copy(update={"daily_rebuild_at": time(11)})}
    )
    assert not _daily_is_overdue(engine, late, AT)  # 10:00 local, job at 11:00
    assert _daily_is_overdue(engine, settings, AT)  # job at 01:00, not yet run today
    daily_rebuild(engine, settings, FixedClock(AT))
    assert not _daily_is_overdue(engine, settings, AT)


def test_file_lock_excludes_a_second_holder_until_released(tmp_path: Path) -> None:
    first, second = FileLock(path=tmp_path / "x.lock"), FileLock(path=tmp_path / "x.lock")
    assert first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    assert second.still_held()
    second.release()


@pytest.mark.postgres
def test_advisory_lock_is_exclusive_and_lost_with_its_connection() -> None:
    name = f"xubao.test.{id(object())}"
    first = PostgresAdvisoryLock(url=POSTGRES_URL, name=name)
    second = PostgresAdvisoryLock(url=POSTGRES_URL, name=name)
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        assert first.still_held()
        # The server ends the leader's session (as if its host died): the lock is gone with it.
        conn = first._conn
        assert conn is not None
        pid = conn.scalar(text("SELECT pg_backend_pid()"))
        conn.commit()
        with second._engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.commit()
        assert not first.still_held()
        assert second.try_acquire()
    finally:
        first.dispose()
        second.dispose()


class _NeverLock:
    def __init__(self, stop: threading.Event) -> None:
        self.tries = 0
        self._stop = stop

    def try_acquire(self) -> bool:
        self.tries += 1
        if self.tries == 3:
            self._stop.set()
        return False

    def still_held(self) -> bool:
        return False

    def release(self) -> None:
        return None


def test_standby_retries_the_lock_until_stopped(settings: Settings) -> None:
    stop = threading.Event()
    lock = _NeverLock(stop)
    fast = settings.model_copy(
        update={"scheduler": settings.scheduler.model_copy(update={"lock_retry_s": 0.0})}
    )
    SchedulerService(settings=fast, lock=lock, clock=FixedClock(AT), stop=stop).run()
    assert lock.tries == 3


def test_autogenerate_ignores_the_scheduler_tables(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    from migrations.env_filters import include_object
    from migrations.metadata import target_metadata

    RUN_LOG.create(engine)
    store = SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")
    store.jobs_t.create(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(ctx, target_metadata) == []
