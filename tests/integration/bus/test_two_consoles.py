"""Issue 11: the runtime (``xubao dialer run``) and two ``xubao serve`` processes on Redis and
PostgreSQL; an agent whose browser is on either console gets the screen-pop of their call.

Real processes in real time on the simulated network: the runtime's bots 1001 and 1002 take
the calls; each agent's websocket is on a different console, opened with the agent's session.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import websockets
from sqlalchemy import select

from agent_console.accounts import add_user, open_session
from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from dialer.models import CampaignMode
from renewals.models import ContactAttempt
from tests.integration.dialer.runtime.campaign_process import profile, seed_book

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[3]
AGENTS = ("1001", "1002")


def _book(db_url: str) -> dict[str, str]:
    """The campaign and its book (customers at midday now); each agent's session token."""
    engine = create_db_engine(db_url)
    upgrade(engine)
    now = datetime.now(UTC)
    offset = (12 - now.hour + 12) % 24 - 12
    zone = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
    tokens = {}
    with make_session_factory(engine).begin() as s:
        seed_book(
            s, leads=200, mode=CampaignMode.PROGRESSIVE, now=now, ring_timeout_s=15, zone=zone,
            expiry=(now + timedelta(days=30)).date(),
        )  # fmt: skip
        for agent in AGENTS:
            user = add_user(
                s, name=f"agent{agent}", role="agent", password="a-long-password-1",
                extension=agent, at=now,
            )  # fmt: skip
            tokens[agent] = open_session(s, user, at=now, ttl_s=3600, language="zh_CN")
    engine.dispose()
    return tokens


def _env(db_url: str, tmp_path: Path, redis_url: str, stream: str) -> dict[str, str]:
    slow_talk = profile(
        outcomes={"human": 0.7, "machine": 0.05, "busy": 0.05, "failed": 0.05},
        ring_s={"mean": 1, "sd": 0.5}, talk_s={"mean": 4, "sd": 1},
        wrap_s={"mean": 0.5, "sd": 0.2}, amd_s=0.3,
    )  # fmt: skip
    (tmp_path / "profile.json").write_text(json.dumps(slow_talk))
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


async def _xubao(env: dict[str, str], *argv: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "config.cli", *argv, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def _url(console: asyncio.subprocess.Process) -> str:
    assert console.stdout is not None
    async with asyncio.timeout(60):
        while True:
            line = (await console.stdout.readline()).decode()
            assert line, "the console ended before it listened"
            found = re.search(r"http://[\d.]+:\d+", line)
            if found:
                return found.group(0)


async def _first_pop(url: str, token: str) -> dict[str, object]:
    ws_url = url.replace("http://", "ws://") + "/ws/agent"
    headers = {"Cookie": f"xubao_session={token}", "Origin": url}
    async with websockets.connect(ws_url, additional_headers=headers) as ws:
        async for raw in ws:
            message = json.loads(raw)
            if message.get("type") == "ping":
                await ws.send(json.dumps({"type": "pong", "n": message["n"]}))
            elif message.get("type") == "pop":
                return message
    raise AssertionError("the socket closed before a pop")


async def test_the_pop_reaches_the_agent_on_either_console(
    postgres_url: str, tmp_path: Path, redis_url: str, stream_name: str
) -> None:
    tokens = _book(postgres_url)
    env = _env(postgres_url, tmp_path, redis_url, stream_name)
    consoles = [await _xubao(env, "serve", "--port", "0") for _ in range(2)]
    runtime = None
    try:
        urls = [await _url(c) for c in consoles]
        pops = [
            asyncio.create_task(_first_pop(url, tokens[agent]))
            for url, agent in zip(urls, AGENTS, strict=True)
        ]
        await asyncio.sleep(1)  # both sockets open before the first call
        runtime = await _xubao(env, "dialer", "run", "--campaign", "q4", "--bots", "2")
        async with asyncio.timeout(120):
            got = await asyncio.gather(*pops)
    finally:
        for proc in [*consoles, *([runtime] if runtime else [])]:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in [*consoles, *([runtime] if runtime else [])]:
            try:
                await asyncio.wait_for(proc.wait(), 60)
            except TimeoutError:
                proc.kill()
    engine = create_db_engine(postgres_url)
    with make_session_factory(engine)() as s:
        for agent, pop in zip(AGENTS, got, strict=True):
            attempt = s.scalars(
                select(ContactAttempt).where(ContactAttempt.call_id == pop["call_id"])
            ).one()
            assert attempt.agent == agent  # this agent's call, on this agent's console
            assert pop["attempt_id"] == attempt.id
    engine.dispose()
    for proc in consoles:
        assert proc.returncode == 0
