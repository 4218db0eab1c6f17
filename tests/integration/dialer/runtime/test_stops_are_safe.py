"""Stops are safe (issue 10): `xubao dialer run --bots 3` stopped by Ctrl-C or SIGTERM logs its
agents out, and one killed with SIGKILL leaves seats that lapse; either way a later runtime
without bots places no call.

Real processes in real time on the simulated network, on SQLite and PostgreSQL. The customers
live in a time zone where it is midday now, so the calling hours never hide a wrong dial.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from config.shift import compose_runtime
from dialer.models import CampaignMode, Seat, SeatEvent, SeatState
from dialer.runtime import RuntimeOptions
from dialer.simulated import SimProfile, SimulatedNetwork, VirtualClock, run_virtual
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt
from tests.integration.dialer.runtime.campaign_process import midday_zone, profile, seed_book

ROOT = Path(__file__).resolve().parents[4]
BOTS = ("1001", "1002", "1003")
LAPSE_S = 3.0


@pytest.fixture
def book(db_url: str, tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session]]]:
    engine = create_db_engine(db_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    with sessions.begin() as s:
        seed_book(
            s,
            leads=200,
            mode=CampaignMode.PROGRESSIVE,
            now=now,
            ring_timeout_s=15,
            zone=midday_zone(now),
            expiry=(now + timedelta(days=30)).date(),
        )
    yield db_url, sessions
    engine.dispose()


def _env(db_url: str, tmp_path: Path, *, talk_s: float = 1.5) -> dict[str, str]:
    fast = profile(
        outcomes={"human": 0.5, "machine": 0.1, "busy": 0.2, "failed": 0.05},
        ring_s={"mean": 1, "sd": 0.5}, talk_s={"mean": talk_s, "sd": 0.5},
        wrap_s={"mean": 0.5, "sd": 0.2}, amd_s=0.3,
    )  # fmt: skip
    profile_file = tmp_path / "profile.json"
    profile_file.write_text(json.dumps(fast))
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XUBAO_CONFIG_FILE": str(tmp_path / "none.toml"),
        "XUBAO_DATA_DIR": str(tmp_path / "var"),
        "XUBAO_DATABASE_URL": db_url,
        "XUBAO_TELEPHONY": "simulated",
        "XUBAO_SIM_PROFILE": str(profile_file),
        "XUBAO_SEAT_LAPSE_S": str(LAPSE_S),
        "XUBAO_LOG_LEVEL": "INFO",
    }


def _dialer(env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "config.cli", "dialer", "run", "--campaign", "q4",
         "--owner", "cli-runtime", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _seats(sessions: sessionmaker[Session]) -> dict[str, SeatState]:
    with sessions() as s:
        return {seat.agent_id: seat.state for seat in s.scalars(select(Seat))}


def _placed(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(ContactAttempt)) or 0


def _until_dialing(proc: subprocess.Popen[bytes], sessions: sessionmaker[Session]) -> None:
    """Wait until the bots are in and calls are in flight."""
    deadline = time.monotonic() + 60
    while not (_placed(sessions) >= 3 and set(_seats(sessions)) == set(BOTS)):
        assert proc.poll() is None, proc.communicate()[1].decode()[-3000:]
        assert time.monotonic() < deadline, "the runtime did not start dialing"
        time.sleep(0.05)


def _tick_later(
    sessions: sessionmaker[Session], tmp_path: Path, *, after_s: float, owner: str = "later"
) -> int:
    """A later runtime (no bots) re-syncs and ticks ``after_s`` seconds from now: calls placed."""

    async def main() -> int:
        clock = VirtualClock(start=datetime.now(UTC) + timedelta(seconds=after_s))
        net = SimulatedNetwork(
            profile=SimProfile.from_mapping(profile()), clock=clock, seed=1,
            recordings_dir=tmp_path / "later",
        )  # fmt: skip
        await net.start()
        runtime, _desk = compose_runtime(
            sessions=sessions, port=net, clock=clock, campaign_id="q4", owner=owner,
            rules=CadenceRules(), options=RuntimeOptions(seat_lapse_s=LAPSE_S),
        )  # fmt: skip
        await runtime.start()
        placed = await runtime.tick()
        await net.close()
        return placed

    return run_virtual(main())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_dialer_logs_its_bots_out_and_a_later_runtime_dials_nobody(
    book: tuple[str, sessionmaker[Session]], tmp_path: Path, sig: signal.Signals
) -> None:
    db_url, sessions = book
    env = _env(db_url, tmp_path)
    proc = _dialer(env, "--bots", "3")
    try:
        _until_dialing(proc, sessions)
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=90)
    finally:
        proc.kill()
    log = err.decode()
    assert proc.returncode == 0, log[-3000:]
    assert "stopping: following" in log
    assert _seats(sessions) == dict.fromkeys(BOTS, SeatState.LOGGED_OUT)
    with sessions() as s:
        assert s.scalar(select(func.count()).where(ContactAttempt.outcome.is_(None))) == 0
    placed = _placed(sessions)
    # The same command without bots, for a few seconds: nobody is there, nothing is dialed.
    again = _dialer(env)
    try:
        time.sleep(3)
        again.send_signal(signal.SIGINT)
        _out, err = again.communicate(timeout=60)
    finally:
        again.kill()
    assert again.returncode == 0, err.decode()[-3000:]
    assert _placed(sessions) == placed
    assert _tick_later(sessions, tmp_path, after_s=0) == 0


def test_a_killed_dialers_seats_lapse_and_a_later_runtime_dials_nobody(
    book: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    db_url, sessions = book
    proc = _dialer(_env(db_url, tmp_path), "--bots", "3")
    try:
        _until_dialing(proc, sessions)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # Nobody logged the bots out: their rows still say they are there...
    assert set(_seats(sessions).values()) != {SeatState.LOGGED_OUT}
    placed = _placed(sessions)
    # ...but they stopped beating: once the lapse time has passed, nothing is dialed for them
    # and they are logged out.
    assert _tick_later(sessions, tmp_path, after_s=LAPSE_S + 0.5) == 0
    assert _placed(sessions) == placed
    assert _seats(sessions) == dict.fromkeys(BOTS, SeatState.LOGGED_OUT)
    with sessions() as s:
        reasons = s.scalars(
            select(SeatEvent.reason).where(SeatEvent.state == SeatState.LOGGED_OUT)
        ).all()
    assert sorted(reasons) == ["lapsed"] * len(BOTS)


def test_a_dialer_stopped_twice_leaves_its_live_calls_to_the_next_start(
    book: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    # Customers who talk for a minute: the first Ctrl-C would wait for them; the second
    # stops waiting. The process exits at once, cleanly, its bots logged out, and the calls
    # it left are closed by the next start of the same runtime (its re-sync).
    db_url, sessions = book
    proc = _dialer(_env(db_url, tmp_path, talk_s=60), "--bots", "3")
    try:
        deadline = time.monotonic() + 60
        while not _bridged(sessions):
            assert proc.poll() is None, proc.communicate()[1].decode()[-3000:]
            assert time.monotonic() < deadline, "no call reached a bot"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        time.sleep(1)
        assert proc.poll() is None  # following the calls still up
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    log = err.decode()
    assert proc.returncode == 0, log[-3000:]
    assert "not waiting for" in log and "Traceback" not in log
    with sessions() as s:
        left = s.scalar(select(func.count()).where(ContactAttempt.outcome.is_(None)))
    assert left is not None and left >= 1
    _tick_later(sessions, tmp_path, after_s=0, owner="cli-runtime")
    with sessions() as s:
        assert s.scalar(select(func.count()).where(ContactAttempt.outcome.is_(None))) == 0
        closed = s.scalars(
            select(ContactAttempt.outcome).where(ContactAttempt.bridged_at.is_not(None))
        )
        assert set(closed) == {"completed"}


def _bridged(sessions: sessionmaker[Session]) -> bool:
    with sessions() as s:
        bridged = select(func.count()).where(ContactAttempt.bridged_at.is_not(None))
        return bool(s.scalar(bridged))
