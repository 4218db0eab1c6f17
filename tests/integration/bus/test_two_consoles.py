"""Issue 11: the runtime (``xubao dialer run``) and two ``xubao serve`` processes on Redis and
PostgreSQL; an agent whose browser is on either console gets the screen-pop of their call.

Real processes in real time on the simulated network. Agents 1001 and 1002 are people, each
on a different console: they log in to a seat there (the phone joins the runtime's queue: the
seat action crosses the bus as a port command), their sockets answer the pings (the seat
stays counted), the runtime dials for them and bridges, and each gets the pop of their call.
The consoles run no runtime of their own (Redis bus, no ``--with-runtime``): every lead
dialed is leased by the runtime process. Agent 1001 then hangs up from the console: the
hang-up reaches the runtime's network and the call ends on the screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sys
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import websockets
from sqlalchemy import func, select
from websockets.asyncio.client import ClientConnection

from agent_console.accounts import add_user, open_session
from agent_console.models import ConsoleSession
from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from dialer.models import CampaignMode
from renewals.models import ContactAttempt, Lead
from tests.integration.dialer.runtime.campaign_process import profile, seed_book

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[3]
AGENTS = ("1001", "1002")
RUNTIME = "runtime-q4"  # the runtime's lease owner: the only one that may dial


def _book(db_url: str) -> dict[str, tuple[str, str]]:
    """The campaign and its book (customers at midday now); each agent's session and CSRF."""
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
            token = open_session(s, user, at=now, ttl_s=3600, language="zh_CN")
            csrf = s.scalars(
                select(ConsoleSession.csrf_token).where(ConsoleSession.user_id == user.id)
            )
            tokens[agent] = (token, csrf.one())
    engine.dispose()
    return tokens


def _env(db_url: str, tmp_path: Path, redis_url: str, stream: str) -> dict[str, str]:
    slow_talk = profile(
        outcomes={"human": 0.7, "machine": 0.05, "busy": 0.05, "failed": 0.05},
        ring_s={"mean": 1, "sd": 0.5}, talk_s={"mean": 30, "sd": 1},
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


async def _runtime_dialing(runtime: asyncio.subprocess.Process) -> None:
    assert runtime.stdout is not None
    async with asyncio.timeout(60):
        line = (await runtime.stdout.readline()).decode()
    assert "q4" in line, f"the runtime did not start: {line!r}"


class _Agent:
    """One person's browser on one console: the socket (answering pings) and the API."""

    def __init__(self, url: str, agent_id: str, token: str, csrf: str) -> None:
        self.url, self.agent_id, self.token = url, agent_id, token
        self.api = httpx.AsyncClient(
            base_url=url, cookies={"xubao_session": token}, headers={"X-CSRF-Token": csrf},
            timeout=20,
        )  # fmt: skip
        self.messages: asyncio.Queue[dict[str, object]] = asyncio.Queue()

    async def socket(self, opened: asyncio.Event) -> None:
        ws_url = self.url.replace("http://", "ws://") + "/ws/agent"
        headers = {"Cookie": f"xubao_session={self.token}", "Origin": self.url}
        with contextlib.suppress(websockets.ConnectionClosed):  # its console stopped: the end
            async with websockets.connect(ws_url, additional_headers=headers) as ws:
                opened.set()
                await self._answer(ws)

    async def _answer(self, ws: ClientConnection) -> None:
        async for raw in ws:
            message = json.loads(raw)
            if message.get("type") == "ping":
                await ws.send(json.dumps({"type": "pong", "n": message["n"]}))
            else:
                await self.messages.put(message)

    async def next(self, kind: str) -> dict[str, object]:
        while (message := await self.messages.get()).get("type") != kind:
            pass
        return message


def _leased_by_others(db_url: str) -> int:
    engine = create_db_engine(db_url)
    with make_session_factory(engine)() as s:
        others = s.scalar(
            select(func.count()).where(Lead.lease_owner.is_not(None), Lead.lease_owner != RUNTIME)
        )
    engine.dispose()
    return int(others or 0)


async def _stop(procs: list[asyncio.subprocess.Process]) -> None:
    for proc in procs:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            await asyncio.wait_for(proc.wait(), 60)
        except TimeoutError:
            proc.kill()


async def _within(seconds: float, step: Awaitable[dict[str, object]]) -> dict[str, object]:
    async with asyncio.timeout(seconds):
        return await step


async def _hang_up_on_pop(agent: _Agent) -> tuple[dict[str, object], dict[str, object]]:
    """The agent's pop, then its ``call_ended`` after the agent hung up from the console."""
    pop = await _within(120, agent.next("pop"))
    hangup = await agent.api.post("/agent/api/call/hangup")
    assert hangup.status_code == 200, hangup.text
    return pop, await _within(30, agent.next("call_ended"))


async def test_the_pop_reaches_the_agent_on_either_console(
    postgres_url: str, tmp_path: Path, redis_url: str, stream_name: str
) -> None:
    tokens = _book(postgres_url)
    env = _env(postgres_url, tmp_path, redis_url, stream_name)
    runtime = await _xubao(env, "dialer", "run", "--campaign", "q4", "--owner", RUNTIME)
    procs = [runtime]
    async with asyncio.TaskGroup() as sockets:
        try:
            await _runtime_dialing(runtime)
            consoles = [await _xubao(env, "serve", "--port", "0") for _ in range(2)]
            procs += consoles
            urls = [await _url(c) for c in consoles]
            agents = [
                _Agent(url, agent, *tokens[agent]) for url, agent in zip(urls, AGENTS, strict=True)
            ]
            for agent in agents:
                opened = asyncio.Event()
                sockets.create_task(agent.socket(opened))
                await opened.wait()
                login = await agent.api.post("/agent/api/seat/login", json={"campaign_id": "q4"})
                assert login.status_code == 200, login.text  # the runtime took the QueueAdd
            # The first agent hangs up as soon as its pop comes, not after the second's: the
            # customer's talk (30 s) could end the call first on a loaded machine.
            first, second_pop = await asyncio.gather(
                _hang_up_on_pop(agents[0]), _within(120, agents[1].next("pop"))
            )
            pops = [first[0], second_pop]
            assert _leased_by_others(postgres_url) == 0  # no console dialed
            assert first[1]["call_id"] == pops[0]["call_id"]
            for agent in agents:
                await agent.api.aclose()
        finally:
            await _stop([*procs[1:], runtime])  # consoles first: their sockets close
    engine = create_db_engine(postgres_url)
    with make_session_factory(engine)() as s:
        for agent_id, pop in zip(AGENTS, pops, strict=True):
            attempt = s.scalars(
                select(ContactAttempt).where(ContactAttempt.call_id == pop["call_id"])
            ).one()
            assert attempt.agent == agent_id  # this agent's call, on this agent's console
            assert pop["attempt_id"] == attempt.id
    engine.dispose()
    for proc in procs:
        assert proc.returncode == 0
