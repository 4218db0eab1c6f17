"""Two real `xubao scheduler` processes on one database: one leads, the other takes over.

The processes run on the real clock (they are separate programs), so the test waits for
conditions in the database with a deadline instead of sleeping fixed times.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select

from config.db import create_db_engine, make_session_factory
from config.jobs import DAILY_REBUILD_ID, REFRESH_DUE_ID, RUN_LOG
from config.migrate import upgrade
from renewals.models import Lead
from tests import factories as f

ROOT = Path(__file__).resolve().parents[3]
CLI = "import sys; from config.cli import main; sys.exit(main())"
DEADLINE_S = 30.0


def _wait_for(what: str, condition: Callable[[], bool]) -> None:
    give_up = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"gave up waiting for: {what}")
        time.sleep(0.05)


def _runs(engine: Engine) -> list[tuple[str, str, int, datetime]]:
    if not inspect(engine).has_table(RUN_LOG.name):
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            select(RUN_LOG.c.job_id, RUN_LOG.c.slot, RUN_LOG.c.pid, RUN_LOG.c.started_at)
            .where(RUN_LOG.c.finished_at.is_not(None))
            .order_by(RUN_LOG.c.id)
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _refreshes_by(engine: Engine, pid: int) -> int:
    return sum(1 for job, _, p, _ in _runs(engine) if job == REFRESH_DUE_ID and p == pid)


@pytest.fixture
def book(db_url: str) -> Iterator[tuple[str, Engine]]:
    engine = create_db_engine(db_url)
    upgrade(engine)
    today = datetime.now(UTC).date()
    with make_session_factory(engine).begin() as s:
        f.add(s, *(f.policy(end_date=today + timedelta(days=n)) for n in (3, 20, 40, 200)))
    yield db_url, engine
    engine.dispose()


def _spawn(db_url: str, log: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XUBAO_CONFIG_FILE": str(tmp_path / "none.toml"),
        "XUBAO_DATABASE_URL": db_url,
        "XUBAO_SCHEDULER__REFRESH_INTERVAL_S": "0.3",
        "XUBAO_SCHEDULER__LOCK_RETRY_S": "0.1",
        "XUBAO_SCHEDULER__LOCK_CHECK_S": "0.1",
        "XUBAO_SCHEDULER__DAILY_REBUILD_AT": "00:00:00",  # today's run is always overdue
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-c", CLI, "-v", "scheduler"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )


def test_one_of_two_scheduler_processes_runs_the_jobs_and_the_other_takes_over(
    book: tuple[str, Engine], tmp_path: Path
) -> None:
    db_url, engine = book
    a = _spawn(db_url, tmp_path / "a.log", tmp_path)
    b: subprocess.Popen[bytes] | None = None
    try:
        _wait_for("A runs the refresh job", lambda: _refreshes_by(engine, a.pid) >= 1)
        b = _spawn(db_url, tmp_path / "b.log", tmp_path)
        b_log = tmp_path / "b.log"
        _wait_for("B stands by", lambda: "standby" in b_log.read_text(errors="replace"))
        seen = _refreshes_by(engine, a.pid)
        _wait_for("A runs 3 more times", lambda: _refreshes_by(engine, a.pid) >= seen + 3)
        assert {pid for _, _, pid, _ in _runs(engine)} == {a.pid}, "B ran jobs while A led"

        a.kill()  # SIGKILL: no clean-up, the lock must be freed by the OS / the server
        a.wait(timeout=10)
        last_a = max(at for _, _, pid, at in _runs(engine) if pid == a.pid)
        pid_b = b.pid
        _wait_for("B takes over", lambda: _refreshes_by(engine, pid_b) >= 3)
        b.terminate()
        assert b.wait(timeout=15) == 0
    finally:
        for proc in (a, b):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)

    runs = _runs(engine)
    assert {pid for _, _, pid, _ in runs} == {a.pid, pid_b}
    assert min(at for _, _, pid, at in runs if pid == pid_b) > last_a
    assert [k for k, n in Counter((job, slot) for job, slot, _, _ in runs).items() if n > 1] == []
    # The daily rebuild ran once, by A; B found today's run done and did not repeat it.
    assert [pid for job, _, pid, _ in runs if job == DAILY_REBUILD_ID] == [a.pid]
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Lead.__table__)) == 3
