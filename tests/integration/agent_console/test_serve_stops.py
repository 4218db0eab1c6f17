"""``xubao serve`` with its runtime, stopped by Ctrl-C twice while customers still talk.

The first Ctrl-C stops the web server and dialing and follows the calls still up; a second
one used to land on Python's default handler (uvicorn's were gone): the shutdown broken off
(exit 130 here, a traceback under ``make demo``), no bot logged out. Now it stops waiting: a
clean exit, the calls left to the next start.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from config.db import create_db_engine, make_session_factory
from dialer.models import CampaignMode
from renewals.models import ContactAttempt
from tests.console_floor import FAST_PROFILE, build_floor, serve_env

LONG_TALK = {**FAST_PROFILE, "talk_s": {"mean": 90.0, "sd": 1.0}}


def _bridged(database_url: str) -> int:
    engine = create_db_engine(database_url)
    try:
        with make_session_factory(engine)() as s:
            query = select(func.count()).where(ContactAttempt.bridged_at.is_not(None))
            return s.scalar(query) or 0
    finally:
        engine.dispose()


def test_a_second_ctrl_c_stops_at_once_and_cleanly(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'xubao.db'}"
    build_floor(database_url, tmp_path, mode=CampaignMode.PROGRESSIVE)
    env = serve_env(database_url, tmp_path, LONG_TALK)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.cli", "serve", "--port", "0", "--day-start", "10:00",
             "--campaign", "c1", "--bots", "2"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not _bridged(database_url):
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "no call reached a bot"
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        time.sleep(1.5)
        assert process.poll() is None  # following the customers still talking
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    finally:
        process.kill()
        process.wait()
    text = log.read_text()
    assert process.returncode == 0, text[-3000:]
    assert "stopping: following" in text and "not waiting for" in text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
