"""The reminder job: placed by the scheduler, within calling hours, once per lead and term,
on the simulated network (each call runs the reminder flow and moves its lead, announced on the
node's Redis bus when there is one)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, select

from config.bus import BUS_EVENTS
from config.db import make_session_factory
from config.jobs import REMINDER_CALLS_ID, RUN_LOG, reminder_calls
from config.scheduler import build_scheduler
from config.settings import Settings
from dialer.bus import EventCodec
from dialer.floor import IvrCallStarted, IvrDirection
from ivr.models import IvrSession
from renewals.clock import FixedClock
from renewals.models import ContactAttempt, Lead, LeadStage
from tests import factories as f

AT = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
REDIS_URL = os.environ.get("XUBAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    return Settings.load(data_dir=tmp_path)


def _leads(engine: Engine) -> dict[int, int]:
    """Leads expiring in 3, 6 and 30 days (the first two inside the 7-day window)."""
    ids = {}
    with make_session_factory(engine).begin() as s:
        for days in (3, 6, 30):
            lead = f.lead(end_date=date(2026, 5, 1) + timedelta(days=days), stage=LeadStage.QUOTE)
            f.add(s, lead)
            ids[days] = lead.id
    return ids


def test_reminders_go_to_leads_near_expiry_once(engine: Engine, settings: Settings) -> None:
    RUN_LOG.create(engine)
    ids = _leads(engine)
    run = reminder_calls(engine, settings, FixedClock(AT))
    assert run.detail == "placed=2 failed=0"
    sf = make_session_factory(engine)
    with sf() as s:
        sessions = s.scalars(select(IvrSession).order_by(IvrSession.lead_id)).all()
        assert [x.lead_id for x in sessions] == [ids[3], ids[6]]
        assert {x.flow for x in sessions} == {"reminder"}
        history = s.scalars(select(ContactAttempt).where(ContactAttempt.channel == "ivr")).all()
        assert sorted(h.call_id for h in history) == [
            f"reminder-{ids[3]}-2026-05-04",
            f"reminder-{ids[6]}-2026-05-07",
        ]
        assert all(h.outcome != "reminder_placed" for h in history)  # answered: filled in
        for lead_id in (ids[3], ids[6]):
            lead = s.get(Lead, lead_id)
            assert lead is not None and lead.attempts == 1 and lead.last_outcome is not None
    # A later run (another day, within hours) does not remind them again.
    again = reminder_calls(engine, settings, FixedClock(AT + timedelta(days=1)))
    assert again.detail == "placed=0 failed=0"


def test_no_reminder_outside_calling_hours(engine: Engine, settings: Settings) -> None:
    RUN_LOG.create(engine)
    _leads(engine)
    late = datetime(2026, 5, 1, 13, 30, tzinfo=UTC)  # 21:30 in Shanghai
    assert reminder_calls(engine, settings, FixedClock(late)).detail == "placed=0 failed=0"
    with make_session_factory(engine)() as s:
        assert s.scalars(select(IvrSession)).all() == []


def test_the_scheduler_places_the_reminder_job(engine: Engine, settings: Settings) -> None:
    RUN_LOG.create(engine)
    scheduler = build_scheduler(engine, settings, FixedClock(AT))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert jobs[REMINDER_CALLS_ID].func_ref == "config.jobs:reminder_calls_job"
    off = settings.model_copy(
        update={"ivr": settings.ivr.model_copy(update={"reminders_enabled": False})}
    )
    assert REMINDER_CALLS_ID not in {
        j.id for j in build_scheduler(engine, off, FixedClock(AT)).get_jobs()
    }


def test_reminders_on_the_simulated_network_are_announced_on_the_nodes_redis_bus(
    engine: Engine, settings: Settings
) -> None:
    RUN_LOG.create(engine)
    ids = _leads(engine)
    stream = f"xubao-test:{uuid.uuid4().hex[:12]}:events"
    on_redis = settings.model_copy(update={"bus_url": REDIS_URL, "bus_stream": stream})
    try:
        assert reminder_calls(engine, on_redis, FixedClock(AT)).detail == "placed=2 failed=0"
        with redis.Redis.from_url(REDIS_URL) as client:
            entries = client.xrange(stream)
    finally:
        with redis.Redis.from_url(REDIS_URL) as client:
            client.delete(stream)
    codec = EventCodec(BUS_EVENTS)
    events = [codec.decode(fields[b"e"]) for _id, fields in entries]
    assert [type(e).__name__ for e in events] == ["IvrCallStarted", "IvrCallEnded"] * 2
    starts = [e for e in events if isinstance(e, IvrCallStarted)]
    assert {(s.lead_id, s.direction, s.flow) for s in starts} == {
        (ids[3], IvrDirection.REMINDER, "reminder"),
        (ids[6], IvrDirection.REMINDER, "reminder"),
    }
    assert [e.call_id for e in events[:2]] == [starts[0].call_id] * 2
