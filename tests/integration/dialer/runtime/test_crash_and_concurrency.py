"""Real processes: a runtime SIGKILLed mid-campaign loses no outcome, and two runtimes on one
PostgreSQL database never have the same lead on two calls at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from config.shift import run_shift
from dialer.models import CampaignMode
from dialer.simulated import SimProfile, VirtualClock, run_virtual
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt, Lead
from tests.integration.dialer.runtime.campaign_process import (
    START,
    midday_zone,
    profile,
    seed_book,
)

ROOT = Path(__file__).resolve().parents[4]


def _database(
    db_url: str,
    *,
    leads: int,
    mode: CampaignMode,
    ring_timeout_s: int = 25,
    real_time: bool = False,
) -> tuple[Engine, sessionmaker[Session]]:
    engine = create_db_engine(db_url)
    upgrade(engine)  # the real migrations, as a deployment runs them
    sessions = make_session_factory(engine)
    # In real time the customers live where it is midday now, so calling hours never hide
    # a dial (whatever the hour the suite runs at).
    now = datetime.now(UTC) if real_time else START
    where = {"zone": midday_zone(now), "expiry": (now + timedelta(days=30)).date()}
    with sessions.begin() as s:
        seed_book(
            s, leads=leads, mode=mode, now=now, ring_timeout_s=ring_timeout_s,
            **(where if real_time else {}),
        )  # fmt: skip
    return engine, sessions


def _spawn(
    db_url: str,
    tmp_path: Path,
    *,
    owner: str,
    prefix: str,
    clock: str,
    seconds: float,
    profile_file: Path,
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.dialer.runtime.campaign_process",
         "--db", db_url, "--owner", owner, "--prefix", prefix, "--clock", clock,
         "--seconds", str(seconds), "--profile", str(profile_file),
         "--recordings", str(tmp_path / f"rec-{owner}")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _attempts(sessions: sessionmaker[Session]) -> list[ContactAttempt]:
    with sessions() as s:
        return list(s.scalars(select(ContactAttempt).order_by(ContactAttempt.id)))


def _assert_no_lead_on_two_calls(attempts: list[ContactAttempt]) -> None:
    by_lead: dict[int, list[ContactAttempt]] = {}
    for a in sorted(attempts, key=lambda a: a.started_at):
        by_lead.setdefault(a.lead_id, []).append(a)
    for calls in by_lead.values():
        for earlier, later in pairwise(calls):
            assert earlier.ended_at is not None
            assert earlier.ended_at <= later.started_at, (earlier.call_id, later.call_id)


def test_sigkill_mid_campaign_then_restart_loses_no_outcome(db_url: str, tmp_path: Path) -> None:
    engine, sessions = _database(db_url, leads=400, mode=CampaignMode.PREDICTIVE)
    profile_file = tmp_path / "profile.json"
    profile_file.write_text(json.dumps(profile()))
    proc = _spawn(
        db_url,
        tmp_path,
        owner="runtime-1",
        prefix="10",
        clock="virtual",
        seconds=8 * 3600,
        profile_file=profile_file,
    )
    deadline = time.monotonic() + 120
    try:
        while True:  # kill it once it has stored some outcomes and has calls in flight
            with sessions() as s:
                done = s.scalar(select(func.count()).where(ContactAttempt.outcome.is_not(None)))
                open_ = s.scalar(select(func.count()).where(ContactAttempt.outcome.is_(None)))
            if done and done >= 40 and open_:
                break
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the runtime placed too few calls"
            time.sleep(0.01)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    before = {a.call_id: (a.outcome, a.ended_at) for a in _attempts(sessions)}
    in_flight = [call_id for call_id, (outcome, _end) in before.items() if outcome is None]
    assert in_flight, "the kill should land with calls in flight"
    # Each fact was stored as it happened (issue 9, item 8): who talked to an agent is known.
    talked = {
        a.call_id: (a.answered_at, a.bridged_at, a.agent)
        for a in _attempts(sessions)
        if a.outcome is None and a.bridged_at is not None
    }

    async def restart() -> None:  # an hour later, same runtime name, a fresh network
        await run_shift(
            sessions=sessions,
            campaign_id="q4",
            profile=SimProfile.load(profile_file),
            clock=VirtualClock(start=START + timedelta(hours=1)),
            seed=4,
            agents=4,
            duration_s=600,
            rules=CadenceRules(),
            recordings_dir=tmp_path / "rec2",
        )

    run_virtual(restart())
    after = {a.call_id: a for a in _attempts(sessions)}
    for call_id, (outcome, ended_at) in before.items():
        if outcome is not None:  # every outcome stored before the kill is still there, as it was
            assert (after[call_id].outcome, after[call_id].ended_at) == (outcome, ended_at)
    for c in in_flight:
        if c in talked:  # a customer who talked to an agent is a contact, facts and all
            assert after[c].outcome == "completed"
            assert (after[c].answered_at, after[c].bridged_at, after[c].agent) == talked[c]
        else:
            assert after[c].outcome == "interrupted"
    assert all(a.outcome is not None for a in after.values())
    assert len(after) > len(before)  # the restarted runtime went on dialing
    _assert_no_lead_on_two_calls(list(after.values()))
    with sessions() as s:
        assert s.scalar(select(func.count()).where(Lead.lease_owner.is_not(None))) == 0
    engine.dispose()


@pytest.mark.postgres
def test_two_runtimes_on_one_postgresql_never_share_a_lead(
    postgres_url: str, tmp_path: Path
) -> None:
    # PostgreSQL only: SQLite has one writer at a time, so it has no such race.
    db_url = postgres_url
    # Real time, so both processes share one clock; short calls make many in a few seconds.
    # The shortest legal ring keeps the drain of unanswered calls short.
    engine, sessions = _database(
        db_url, leads=150, mode=CampaignMode.PREDICTIVE, ring_timeout_s=15, real_time=True
    )
    profile_file = tmp_path / "profile.json"
    profile_file.write_text(json.dumps(profile(
        outcomes={"human": 0.6, "machine": 0.15, "busy": 0.15, "failed": 0.05},
        ring_s={"mean": 1, "sd": 0.5}, talk_s={"mean": 1.5, "sd": 0.5},
        wrap_s={"mean": 0.5, "sd": 0.2}, amd_s=0.3,
    )))  # fmt: skip
    runtimes = [
        _spawn(
            db_url,
            tmp_path,
            owner=f"runtime-{n}",
            prefix=prefix,
            clock="real",
            seconds=12,
            profile_file=profile_file,
        )
        for n, prefix in (("a", "20"), ("b", "30"))
    ]
    for proc in runtimes:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()[-3000:]
    attempts = _attempts(sessions)
    owners = {a.call_id.split("-")[1] for a in attempts}  # runtime-a-… and runtime-b-…
    assert owners == {"a", "b"}  # both really dialed
    assert all(a.outcome is not None for a in attempts)
    _assert_no_lead_on_two_calls(attempts)
    engine.dispose()
