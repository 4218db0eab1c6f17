"""The job scheduler: APScheduler 3 with its SQLAlchemy job store, run by exactly one process.

Every service process may start a :class:`SchedulerService`; only the one holding the leader
lock (:mod:`config.leader`) runs APScheduler, the others wait on standby and try the lock again
every ``lock_retry_s`` so one takes over when the leader dies. (Two schedulers sharing a job
store without such a lock each run every job: issue 3 saw 5 jobs run 6 times.)
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from config.db import create_db_engine
from config.jobs import (
    DAILY_REBUILD_ID,
    RECORDINGS_PURGE_ID,
    RECORDINGS_REGISTER_ID,
    REFRESH_DUE_ID,
    REMINDER_CALLS_ID,
    RUN_LOG,
    daily_slot,
    slot_done,
)
from config.leader import LeaderLock
from config.settings import Settings
from renewals.clock import Clock

__all__ = ["JOB_TABLE", "SchedulerService", "build_scheduler"]

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"


def _daily_is_overdue(engine: Engine, settings: Settings, now: datetime) -> bool:
    # replace_existing rewrites the stored job and its next run time, so a daily run missed
    # while no process led would be lost: run it now when today's is due and not yet done.
    zone = ZoneInfo(settings.timezone)
    local = now.astimezone(zone)
    due_at: time = settings.scheduler.daily_rebuild_at
    if local.time() < due_at:
        return False
    return not slot_done(engine, DAILY_REBUILD_ID, daily_slot(now, settings.timezone))


def build_scheduler(engine: Engine, settings: Settings, clock: Clock) -> BackgroundScheduler:
    """The scheduler with its jobs added (not started). Job ids are fixed, so re-adding
    replaces the stored job instead of adding a twin."""
    zone = ZoneInfo(settings.timezone)
    section = settings.scheduler
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=zone,
    )
    now = clock.now()
    daily = CronTrigger(
        hour=section.daily_rebuild_at.hour, minute=section.daily_rebuild_at.minute, timezone=zone
    )
    extra = {"next_run_time": now} if _daily_is_overdue(engine, settings, now) else {}
    scheduler.add_job(
        "config.jobs:daily_rebuild_job",
        trigger=daily,
        id=DAILY_REBUILD_ID,
        name="rebuild the renewal list",
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=section.daily_misfire_grace_s,
        **extra,
    )
    scheduler.add_job(
        "config.jobs:refresh_due_job",
        trigger=IntervalTrigger(seconds=section.refresh_interval_s, timezone=zone),
        id=REFRESH_DUE_ID,
        name="refresh the due leads",
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=section.refresh_misfire_grace_s,
        next_run_time=now + timedelta(seconds=min(section.refresh_interval_s, 1.0)),
    )
    if settings.ivr.reminders_enabled:
        # 到期自动提醒: the job places only leads the cadence allows now (calling hours).
        scheduler.add_job(
            "config.jobs:reminder_calls_job",
            trigger=IntervalTrigger(seconds=settings.ivr.reminder_interval_s, timezone=zone),
            id=REMINDER_CALLS_ID,
            name="place the reminder calls",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=int(settings.ivr.reminder_interval_s),
        )
    _add_recording_jobs(scheduler, settings, zone)
    return scheduler


def _add_recording_jobs(scheduler: BackgroundScheduler, settings: Settings, zone: ZoneInfo) -> None:
    """The recording store's jobs: register finished calls often, purge once a day."""
    section = settings.scheduler
    if section.recordings_register_interval_s > 0:
        scheduler.add_job(
            "config.jobs:recordings_register_job",
            trigger=IntervalTrigger(seconds=section.recordings_register_interval_s, timezone=zone),
            id=RECORDINGS_REGISTER_ID,
            name="register the finished calls' recordings",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=max(int(section.recordings_register_interval_s), 1),
        )
    scheduler.add_job(
        "config.jobs:recordings_purge_job",
        trigger=CronTrigger(
            hour=section.recordings_purge_at.hour,
            minute=section.recordings_purge_at.minute,
            timezone=zone,
        ),
        id=RECORDINGS_PURGE_ID,
        name="purge the recordings past retention",
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=section.daily_misfire_grace_s,
    )


class SchedulerService:
    """Leader election around APScheduler; :meth:`run` blocks until ``stop`` is set."""

    def __init__(
        self, *, settings: Settings, lock: LeaderLock, clock: Clock, stop: threading.Event
    ) -> None:
        self._settings = settings
        self._lock = lock
        self._clock = clock
        self._stop = stop

    def run(self) -> None:
        section = self._settings.scheduler
        announced = False
        while not self._stop.is_set():
            if self._lock.try_acquire():
                announced = False
                try:
                    self._lead()
                except Exception:  # a database outage must not kill the service process
                    log.exception("scheduler failed; retrying in %s s", section.lock_retry_s)
                    self._stop.wait(section.lock_retry_s)
            else:
                if not announced:
                    log.info("scheduler standby: another process leads")
                    announced = True
                self._stop.wait(section.lock_retry_s)

    def _lead(self) -> None:
        engine = create_db_engine(self._settings.resolved_database_url)
        scheduler: BackgroundScheduler | None = None
        try:
            RUN_LOG.create(engine, checkfirst=True)
            scheduler = build_scheduler(engine, self._settings, self._clock)
            scheduler.start()
            log.info("scheduler leader: jobs %s", [job.id for job in scheduler.get_jobs()])
            while not self._stop.wait(self._settings.scheduler.lock_check_s):
                if not self._lock.still_held():
                    log.error("scheduler lost its lock: stepping down")
                    break
        finally:
            if scheduler is not None and scheduler.running:
                scheduler.shutdown(wait=True)
            self._lock.release()
            engine.dispose()
