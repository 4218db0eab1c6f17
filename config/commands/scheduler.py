"""``xubao scheduler``: run the job scheduler in the foreground (leader or standby)."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from types import FrameType

from config.leader import leader_lock_for
from config.scheduler import SchedulerService
from config.settings import Settings
from renewals.clock import SystemClock

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "scheduler", help="run the daily and per-minute jobs (one process leads, others stand by)"
    )
    parser.set_defaults(handler=run_scheduler)


def run_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping the scheduler", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    lock = leader_lock_for(settings.resolved_database_url)
    try:
        SchedulerService(settings=settings, lock=lock, clock=SystemClock(), stop=stop).run()
    finally:
        lock.dispose()
    return 0
