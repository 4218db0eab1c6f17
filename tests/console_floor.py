"""A console floor for the tests: a migrated database with a small renewal book, campaigns,
users of every role, and a fast simulated-network profile (every call answered by a person,
a few seconds of talk), so a browser test sees a whole call in seconds of real time.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time as clock
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from agent_console.accounts import add_user
from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules
from config.migrate import upgrade
from config.settings import Settings
from dialer.campaigns import CampaignSpec, create_campaign, set_campaign_status
from dialer.models import CampaignMode, CampaignStatus
from renewals.cadence import find_due_leads, rebuild_renewal_list
from renewals.clock import FixedClock
from renewals.demo_book import write_book
from renewals.importer import import_book
from renewals.models import Lead

PASSWORD = "pass-word-1"
USERS = (
    ("agent1", "agent", "1001"),
    ("agent2", "agent", "1002"),
    ("super1", "supervisor", None),
    ("qa1", "qa", None),
    ("admin1", "admin", None),
)
FAST_PROFILE = {
    "name": "console-tests",
    "outcomes": {"human": 1.0, "machine": 0.0, "busy": 0.0, "failed": 0.0},
    "ring_s": {"mean": 1.0, "sd": 0.3},
    "talk_s": {"mean": 6.0, "sd": 0.5},
    "wrap_s": {"mean": 5.0, "sd": 1.0},
    "amd_s": 0.5,
    "max_ring_s": 20,
    "abandon_after_s": 30,
    "setup_s": 0.2,
}


@dataclass(frozen=True)
class FloorData:
    database_url: str
    start: datetime  # the (shifted) instant the book was built at: 10:00 Beijing time today
    agent2_lead: int  # a lead assigned to agent2 (agent1 must be refused it)


def day_start(timezone: str = "Asia/Shanghai") -> datetime:
    zone = ZoneInfo(timezone)
    return datetime.combine(datetime.now(zone).date(), time(10, 0), tzinfo=zone)


def write_profile(directory: Path, profile: Mapping[str, object] = FAST_PROFILE) -> Path:
    path = directory / "fast-profile.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    return path


def build_floor(
    database_url: str, directory: Path, *, mode: CampaignMode, leads: int = 40
) -> FloorData:
    """Migrate, import a book, build today's list; campaign ``c1`` runs in ``mode`` and ``c2``
    (same queue name, its own seats) in preview mode."""
    start = day_start()
    engine = create_db_engine(database_url)
    upgrade(engine)
    book = directory / "book.csv"
    write_book(book, leads=leads, seed=11, today=start.date())
    import_book(book, engine=engine, clock=FixedClock(start))
    sessions = make_session_factory(engine)
    rules = cadence_rules(Settings.load(data_dir=directory).cadence)
    with sessions.begin() as s:
        rebuild_renewal_list(s, start, rules)
        for name, role, extension in USERS:
            add_user(s, name=name, role=role, password=PASSWORD, extension=extension, at=start)
        create_campaign(
            s,
            CampaignSpec(id="c1", name="续保测试", mode=mode, queue="renewals",
                         caller_ids=("02150001000",)),
            now=start,
        )  # fmt: skip
        set_campaign_status(s, "c1", CampaignStatus.RUNNING, now=start)
        create_campaign(
            s,
            CampaignSpec(id="c2", name="预览外呼", mode=CampaignMode.PREVIEW, queue="preview",
                         caller_ids=("02150001001",)),
            now=start,
        )  # fmt: skip
        set_campaign_status(s, "c2", CampaignStatus.RUNNING, now=start)
    with sessions.begin() as s:
        due = find_due_leads(s, start, rules)
        assert len(due) >= 3, "the test book must have due leads at 10:00"
        # The lowest-priority due lead belongs to agent2: agent1 never gets it.
        theirs = due[-1].decision.lead_id
        s.execute(update(Lead).where(Lead.id == theirs).values(owner_agent="1002"))
        assert s.scalar(select(Lead.owner_agent).where(Lead.id == theirs)) == "1002"
    engine.dispose()
    return FloorData(database_url=database_url, start=start, agent2_lead=theirs)


@dataclass(frozen=True)
class Server:
    url: str
    floor: FloorData


def serve_env(
    database_url: str, directory: Path, profile: Mapping[str, object] = FAST_PROFILE
) -> dict[str, str]:
    """The environment of an ``xubao serve`` process on that database, simulated calls."""
    return {
        **os.environ,
        "XUBAO_DATABASE_URL": database_url,
        "XUBAO_DATA_DIR": str(directory),
        "XUBAO_SIM_PROFILE": str(write_profile(directory, profile)),
        "XUBAO_CONFIG_FILE": str(directory / "none.toml"),
        "XUBAO_LOG_LEVEL": "WARNING",
    }


@contextmanager
def serving(
    database_url: str,
    directory: Path,
    *,
    mode: CampaignMode,
    profile: Mapping[str, object] = FAST_PROFILE,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """A real ``xubao serve --port 0`` process on a fresh floor; SIGINT at the end. ``profile``
    and ``extra_env`` (settings) let a module slow the calls down or change a limit."""
    floor = build_floor(database_url, directory, mode=mode)
    env = {**serve_env(database_url, directory, profile), "XUBAO_LANG": "en", **(extra_env or {})}
    log = directory / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.cli", "serve", "--port", "0", "--day-start", "10:00"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Server(_url_in(log, process), floor)
    finally:
        process.send_signal(signal.SIGINT)  # the runtime follows its live calls to their end
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # A clean stop: dialing stopped, live calls followed to their end, exit status 0.
        assert process.returncode == 0, log.read_text()[-3000:]


def _url_in(log: Path, process: subprocess.Popen[bytes]) -> str:
    deadline = clock.monotonic() + 60
    while clock.monotonic() < deadline:
        found = re.search(r"Console at (http://127\.0\.0\.1:\d+/)", log.read_text())
        if found:
            return found.group(1)
        if process.poll() is not None:
            break
        clock.sleep(0.1)
    raise AssertionError("xubao serve did not start:\n" + log.read_text()[-3000:])
