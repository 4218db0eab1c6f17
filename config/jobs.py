"""The scheduled jobs and their run log (``scheduler_runs``: one row per execution).

APScheduler stores a job as a reference to a module-level function, so the entry points here
take no arguments: each reads the settings, opens its own engine and records its run. The work
itself (``daily_rebuild``, ``refresh_due``) takes everything as arguments and is idempotent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)

from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules
from config.settings import Settings
from renewals.cadence import find_due_leads, rebuild_renewal_list
from renewals.clock import Clock, SystemClock
from renewals.sqltypes import UtcDateTime

__all__ = [
    "DAILY_REBUILD_ID",
    "RECORDINGS_PURGE_ID",
    "RECORDINGS_REGISTER_ID",
    "REFRESH_DUE_ID",
    "REMINDER_CALLS_ID",
    "RUN_LOG",
    "JobRun",
    "daily_rebuild",
    "daily_rebuild_job",
    "daily_slot",
    "recordings_purge",
    "recordings_purge_job",
    "recordings_register",
    "recordings_register_job",
    "refresh_due",
    "refresh_due_job",
    "refresh_slot",
    "reminder_calls",
    "reminder_calls_job",
    "slot_done",
]

log = logging.getLogger(__name__)

DAILY_REBUILD_ID = "renewals.daily_rebuild"
REFRESH_DUE_ID = "renewals.refresh_due"
REMINDER_CALLS_ID = "ivr.reminder_calls"
RECORDINGS_REGISTER_ID = "recordings.register"
RECORDINGS_PURGE_ID = "recordings.purge"

# Kept apart from the domain's metadata (like APScheduler's own table): created by the scheduler.
RUN_LOG = Table(
    "scheduler_runs",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("job_id", String(80), nullable=False, index=True),
    Column("slot", String(40), nullable=False),  # the period the run is for (day or interval)
    Column("host", String(100), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime(), nullable=True),
    Column("detail", Text, nullable=False, default=""),
)


@dataclass(frozen=True, kw_only=True)
class JobRun:
    job_id: str
    slot: str
    detail: str


def daily_slot(at: datetime, timezone: str) -> str:
    """The business day a daily run is for (the node's time zone)."""
    return at.astimezone(ZoneInfo(timezone)).date().isoformat()


def refresh_slot(at: datetime, interval_s: float) -> str:
    """The interval a refresh run is for: its start, as an ISO instant (milliseconds)."""
    start = at.timestamp() // interval_s * interval_s
    return datetime.fromtimestamp(start, ZoneInfo("UTC")).isoformat(timespec="milliseconds")


def slot_done(engine: Engine, job_id: str, slot: str) -> bool:
    with engine.connect() as conn:
        count = conn.scalar(
            select(func.count())
            .select_from(RUN_LOG)
            .where(
                RUN_LOG.c.job_id == job_id,
                RUN_LOG.c.slot == slot,
                RUN_LOG.c.finished_at.is_not(None),
            )
        )
    return bool(count)


def _record(engine: Engine, job_id: str, slot: str, at: datetime) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            insert(RUN_LOG).values(
                job_id=job_id,
                slot=slot,
                host=socket.gethostname(),
                pid=os.getpid(),
                started_at=at,
                detail="",
            )
        )
        return int(result.inserted_primary_key[0])


def _finish(engine: Engine, run_id: int, at: datetime, detail: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(RUN_LOG).where(RUN_LOG.c.id == run_id).values(finished_at=at, detail=detail)
        )


def daily_rebuild(engine: Engine, settings: Settings, clock: Clock) -> JobRun:
    """Put policies entering T-60 on the list and move stages; skips a day already done."""
    at = clock.now()
    slot = daily_slot(at, settings.timezone)
    if slot_done(engine, DAILY_REBUILD_ID, slot):
        log.info("daily rebuild for %s already done", slot)
        return JobRun(job_id=DAILY_REBUILD_ID, slot=slot, detail="already done")
    run_id = _record(engine, DAILY_REBUILD_ID, slot, at)
    with make_session_factory(engine).begin() as session:
        result = rebuild_renewal_list(session, at, cadence_rules(settings.cadence))
    detail = f"created={result.created} moved={result.moved}"
    _finish(engine, run_id, clock.now(), detail)
    return JobRun(job_id=DAILY_REBUILD_ID, slot=slot, detail=detail)


def refresh_due(engine: Engine, settings: Settings, clock: Clock) -> JobRun:
    """Recompute the due list (the count and the head of it go to the run log)."""
    at = clock.now()
    slot = refresh_slot(at, settings.scheduler.refresh_interval_s)
    # A standby that takes over inside the interval its dead leader already ran skips it:
    # one finished run per slot, as for the daily rebuild.
    if slot_done(engine, REFRESH_DUE_ID, slot):
        return JobRun(job_id=REFRESH_DUE_ID, slot=slot, detail="already done")
    run_id = _record(engine, REFRESH_DUE_ID, slot, at)
    with make_session_factory(engine)() as session:
        due = find_due_leads(session, at, cadence_rules(settings.cadence))
    head = ",".join(str(d.decision.lead_id) for d in due[:10])
    detail = f"due={len(due)} head={head}"
    _finish(engine, run_id, clock.now(), detail)
    log.info("due leads refreshed: %s", detail)
    return JobRun(job_id=REFRESH_DUE_ID, slot=slot, detail=detail)


def reminder_calls(engine: Engine, settings: Settings, clock: Clock) -> JobRun:
    """到期自动提醒: place the reminder calls due now (calling hours are the cadence's)."""
    at = clock.now()
    slot = refresh_slot(at, settings.ivr.reminder_interval_s)
    if slot_done(engine, REMINDER_CALLS_ID, slot):
        return JobRun(job_id=REMINDER_CALLS_ID, slot=slot, detail="already done")
    run_id = _record(engine, REMINDER_CALLS_ID, slot, at)
    placed, failed = asyncio.run(_place_reminders(engine, settings, clock))
    detail = f"placed={placed} failed={failed}"
    _finish(engine, run_id, clock.now(), detail)
    log.info("reminder calls: %s", detail)
    return JobRun(job_id=REMINDER_CALLS_ID, slot=slot, detail=detail)


async def _place_reminders(engine: Engine, settings: Settings, clock: Clock) -> tuple[int, int]:
    from config.ivr import reminder_dialer  # the IVR's wiring, only for this job
    from ivr.reminders import due_reminders, forget_placed, mark_placed

    sessions = make_session_factory(engine)
    at = clock.now()
    with sessions() as session:
        calls = due_reminders(
            session,
            at,
            cadence_rules(settings.cadence),
            days=settings.ivr.reminder_days,
            limit=settings.ivr.reminder_batch,
        )
    placed = failed = 0
    async with reminder_dialer(settings, engine, clock) as place:
        for call in calls:
            # Marked first, so a reminder that rings unanswered is not placed again.
            with sessions.begin() as session:
                mark_placed(session, call, at)
            try:
                await place(call)
                placed += 1
            except Exception:  # the backend's error, per call: the next run tries again
                log.exception("reminder %s for lead %s not placed", call.call_id, call.lead_id)
                with sessions.begin() as session:
                    forget_placed(session, call)
                failed += 1
    return placed, failed


def recordings_register(engine: Engine, settings: Settings, clock: Clock) -> JobRun:
    """Store the recordings of finished calls (as ``xubao recordings register``)."""
    from config import recordings as wiring  # numpy and soundfile: only this job loads them
    from recordings.qa.sampling import sample_for_review
    from recordings.registration import register_finished_calls

    at = clock.now()
    slot = refresh_slot(at, max(settings.scheduler.recordings_register_interval_s, 1.0))
    if slot_done(engine, RECORDINGS_REGISTER_ID, slot):
        return JobRun(job_id=RECORDINGS_REGISTER_ID, slot=slot, detail="already done")
    run_id = _record(engine, RECORDINGS_REGISTER_ID, slot, at)
    report = register_finished_calls(
        make_session_factory(engine),
        wiring.store(settings),
        wiring.registration_options(settings),
        now=at,
        after_register=sample_for_review,
    )
    detail = f"registered={len(report.registered)} failed={len(report.failed)}"
    _finish(engine, run_id, clock.now(), detail)
    log.info("recordings registered: %s", detail)
    return JobRun(job_id=RECORDINGS_REGISTER_ID, slot=slot, detail=detail)


def recordings_purge(engine: Engine, settings: Settings, clock: Clock) -> JobRun:
    """Purge the recordings past retention and not on hold (as ``xubao recordings purge``);
    once per day: a second run the same day does nothing."""
    from config import recordings as wiring
    from recordings.upkeep import purge

    at = clock.now()
    slot = daily_slot(at, settings.timezone)
    if slot_done(engine, RECORDINGS_PURGE_ID, slot):
        return JobRun(job_id=RECORDINGS_PURGE_ID, slot=slot, detail="already done")
    run_id = _record(engine, RECORDINGS_PURGE_ID, slot, at)
    with make_session_factory(engine).begin() as session:
        removed = [r.id for r in purge(session, wiring.store(settings), now=at, dry_run=False)]
    detail = f"purged={len(removed)} ids={','.join(map(str, removed[:50]))}"
    _finish(engine, run_id, clock.now(), detail)
    log.info("recordings purged: %s", detail)
    return JobRun(job_id=RECORDINGS_PURGE_ID, slot=slot, detail=detail)


_JOBS = {
    DAILY_REBUILD_ID: daily_rebuild,
    REFRESH_DUE_ID: refresh_due,
    REMINDER_CALLS_ID: reminder_calls,
    RECORDINGS_REGISTER_ID: recordings_register,
    RECORDINGS_PURGE_ID: recordings_purge,
}


def _run(job: str) -> None:
    settings = Settings.load()
    engine = create_db_engine(settings.resolved_database_url)
    try:
        _JOBS[job](engine, settings, SystemClock())
    finally:
        engine.dispose()


def daily_rebuild_job() -> None:
    """APScheduler entry point (referenced as ``config.jobs:daily_rebuild_job``)."""
    _run(DAILY_REBUILD_ID)


def refresh_due_job() -> None:
    """APScheduler entry point (referenced as ``config.jobs:refresh_due_job``)."""
    _run(REFRESH_DUE_ID)


def reminder_calls_job() -> None:
    """APScheduler entry point (referenced as ``config.jobs:reminder_calls_job``)."""
    _run(REMINDER_CALLS_ID)


def recordings_register_job() -> None:
    """APScheduler entry point (referenced as ``config.jobs:recordings_register_job``)."""
    _run(RECORDINGS_REGISTER_ID)


def recordings_purge_job() -> None:
    """APScheduler entry point (referenced as ``config.jobs:recordings_purge_job``)."""
    _run(RECORDINGS_PURGE_ID)
