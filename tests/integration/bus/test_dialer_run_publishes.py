"""``xubao dialer run`` on Redis: a web process (here, the test) sees the runtime's calls and
seats on the bus, in order, from the call placed to the agent's log-out at the stop.

A real runtime process in real time on the simulated network, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from dialer.bus import DIALER_EVENTS, EventCodec
from dialer.bus.redis_bus import RedisBus, RedisBusOptions
from dialer.floor import CallPlaced
from dialer.models import CampaignMode, SeatState
from dialer.seats.events import SeatChanged
from dialer.telephony.events import CallBridged, CallHungUp, CallRinging
from renewals.clock import SystemClock
from tests.integration.dialer.runtime.campaign_process import profile, seed_book

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[3]


def _book(db_url: str) -> None:
    """200 due leads whose customers are at midday now (no calling-hours surprises)."""
    engine = create_db_engine(db_url)
    upgrade(engine)
    now = datetime.now(UTC)
    offset = (12 - now.hour + 12) % 24 - 12
    zone = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
    with make_session_factory(engine).begin() as s:
        seed_book(
            s, leads=200, mode=CampaignMode.PROGRESSIVE, now=now, ring_timeout_s=15, zone=zone,
            expiry=(now + timedelta(days=30)).date(),
        )  # fmt: skip
    engine.dispose()


def _env(db_url: str, tmp_path: Path, redis_url: str, stream: str) -> dict[str, str]:
    fast = profile(
        outcomes={"human": 0.6, "machine": 0.1, "busy": 0.1, "failed": 0.05},
        ring_s={"mean": 1, "sd": 0.5}, talk_s={"mean": 1.5, "sd": 0.5},
        wrap_s={"mean": 0.5, "sd": 0.2}, amd_s=0.3,
    )  # fmt: skip
    (tmp_path / "profile.json").write_text(json.dumps(fast))
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XUBAO_CONFIG_FILE": str(tmp_path / "none.toml"),
        "XUBAO_DATA_DIR": str(tmp_path / "var"),
        "XUBAO_DATABASE_URL": db_url,
        "XUBAO_TELEPHONY": "simulated",
        "XUBAO_SIM_PROFILE": str(tmp_path / "profile.json"),
        "XUBAO_BUS_URL": redis_url,
        "XUBAO_BUS_STREAM": stream,
    }


async def test_the_runtime_publishes_its_calls_and_seats(
    db_url: str, tmp_path: Path, redis_url: str, stream_name: str
) -> None:
    _book(db_url)
    web = RedisBus(
        url=redis_url, stream=stream_name, codec=EventCodec(DIALER_EVENTS), clock=SystemClock(),
        options=RedisBusOptions(client_name="xubao-test-web", block_s=0.2),
    )  # fmt: skip
    events = web.subscribe(SeatChanged, CallPlaced, CallRinging, CallBridged, CallHungUp)
    await web.start()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "config.cli", "dialer", "run", "--campaign", "q4", "--bots", "2",
        cwd=ROOT, env=_env(db_url, tmp_path, redis_url, stream_name),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    seen: list[object] = []
    try:
        async with asyncio.timeout(90):
            async for event in events:
                seen.append(event)
                if _an_agent_talked(seen):
                    break
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), 90)
        assert proc.returncode == 0, err.decode()[-3000:]
        async with asyncio.timeout(10):
            async for event in events:
                seen.append(event)
                if _logged_out(seen) == {"1001", "1002"}:
                    break
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await web.close()
    for call in (e for e in seen if isinstance(e, CallBridged)):
        kinds = [type(e) for e in seen if getattr(e, "call_id", None) == call.call_id]
        assert kinds[:3] == [CallPlaced, CallRinging, CallBridged], kinds
        placed = next(e for e in seen if isinstance(e, CallPlaced) and e.call_id == call.call_id)
        assert placed.campaign_id == "q4" and "****" in placed.number_masked


def _an_agent_talked(seen: list[object]) -> bool:
    bridged = {(e.agent_id, e.call_id) for e in seen if isinstance(e, CallBridged)}
    on_call = {
        (e.agent_id, e.call_id)
        for e in seen
        if isinstance(e, SeatChanged) and e.state is SeatState.ON_CALL
    }
    return bool(bridged & on_call)


def _logged_out(seen: list[object]) -> set[str]:
    return {
        e.agent_id
        for e in seen
        if isinstance(e, SeatChanged) and e.state is SeatState.LOGGED_OUT and e.campaign_id == "q4"
    }
