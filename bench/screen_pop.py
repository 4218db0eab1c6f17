"""Screen-pop latency: from ``CallBridged`` published on the bus to the ``pop`` in the browser.

    python -m bench.screen_pop [--agents 200] [--rate 5] [--seconds 60] [--bus memory redis]
                               [--ring-s 5] [--unanswered 4]

For each bus: a fresh SQLite book (``xubao demo-data`` + ``xubao import``), a campaign, one
agent account with its seat logged in (so every pong renews a stored heartbeat), a session,
and an answered call per pop; then three kinds of process:

- the console: the real app (``config.web.create_app``) under uvicorn, its bus built from
  the settings as ``xubao serve`` builds it;
- the publisher, standing in for the runtime: ``CallBridged`` for agent after agent at
  ``--rate`` calls a second (a 200-agent floor with 2-minute calls answers ~1.5 a second),
  each stamped with the instant it is handed to the bus; ``--ring-s`` before it the call's
  ``CallRinging``, with ``--unanswered`` other calls ringing (on other attempts) that end
  unanswered at the bridge (a 20 % answer rate), as a predictive runtime publishes them, and
  ``--answer-s`` before it its ``CallAnswered`` (0 by default: on the simulated network a
  ready agent is bridged the instant the customer answers); on the in-memory bus it runs
  inside the console process, on Redis in its own process, through the runtime's ``BusRelay``;
- the agents: ``--agents`` websockets on ``/ws/agent`` in one process, answering pings as the
  page does and noting when each pop arrives.

Latency = arrival in the client − the publish stamp (one machine, one clock): the bus, the
console's pop (the quote panel read from the database), its outbox and the websocket. The
goal (issue 11) is p99 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

REDIS_URL = "redis://127.0.0.1:6379/0"


# The console process ---------------------------------------------------------------------------


def _settings(db_url: str, bus_url: str, stream: str) -> object:
    from config.settings import Settings

    return Settings(database_url=db_url, bus_url=bus_url, bus_stream=stream, log_level="WARNING")


async def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from agent_console.floor import CampaignFloor, Floor
    from config.bus import build_bus
    from config.db import create_db_engine, make_session_factory
    from config.telephony import build_telephony
    from config.web import create_app
    from dialer.seats import SeatDesk
    from renewals.clock import SystemClock

    settings = _settings(args.db, args.bus_url, args.stream)
    clock = SystemClock()
    engine = create_db_engine(args.db)
    sessions = make_session_factory(engine)
    bus = build_bus(settings, clock, client_name="xubao-bench-console")  # type: ignore[arg-type]
    # The campaign's seat desk, as the agents' seats are in it (heartbeats renew their rows);
    # its network is never started: no call is placed here.
    network = build_telephony(settings, clock)  # type: ignore[arg-type]
    desk = SeatDesk(
        sessions=sessions, port=network, clock=clock, campaign_id="q4", queue="renewals"
    )
    floor = Floor({"q4": CampaignFloor(campaign_id="q4", desk=desk, port=network)})
    app = create_app(settings, sessions=sessions, bus=bus, floor=floor, clock=clock)  # type: ignore[arg-type]
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    up = asyncio.Event()

    class _Server(uvicorn.Server):
        async def startup(self, sockets: object = None) -> None:
            await super().startup(sockets)  # type: ignore[arg-type]
            up.set()

    server = _Server(config)
    serving = asyncio.create_task(server.serve())
    await up.wait()
    if hasattr(bus, "start"):
        await bus.start()
    port = server.servers[0].sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    line = await asyncio.to_thread(sys.stdin.readline)  # "go" (in-memory bus) or "stop"
    if line.strip() == "go":
        await _publish_calls(bus, json.loads(Path(args.calls).read_text()), args)
        await asyncio.to_thread(sys.stdin.readline)  # "stop"
    server.should_exit = True
    await serving
    await bus.close()
    engine.dispose()


async def _publish_calls(
    bus: object, calls: list[tuple[str, str, list[str]]], args: argparse.Namespace
) -> None:
    """The calls' events at ``rate`` bridges a second; each bridge stamped as it is handed over."""
    from config.bus import BusRelay
    from dialer.telephony.events import (
        AnswerKind,
        CallAnswered,
        CallBridged,
        CallHungUp,
        CallRinging,
    )
    from renewals.clock import SystemClock

    clock = SystemClock()
    relay = BusRelay(bus=bus, clock=clock)  # type: ignore[arg-type]
    task = asyncio.create_task(relay.run(), name="bench-relay")
    timeline: list[tuple[float, int, str, str]] = []  # (second, order, kind, call or agent)
    for n, (call_id, agent_id, others) in enumerate(calls):
        at = args.ring_s + n / args.rate
        if args.ring_s:
            for ringing in [call_id, *others]:
                timeline.append((at - args.ring_s, 0, "ringing", ringing))
            timeline += [(at, 1, "unanswered", other) for other in others]
        timeline.append((at - args.answer_s, 1, "answered", call_id))
        timeline.append((at, 2, f"bridged:{agent_id}", call_id))
        timeline.append((at + 20.0, 3, "ended", call_id))
    started = time.perf_counter()
    for second, _, kind, call_id in sorted(timeline):
        delay = started + second - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        now = datetime.now(UTC)
        if kind == "ringing":
            relay.post(CallRinging(call_id=call_id, at=now))
        elif kind == "answered":
            relay.post(CallAnswered(call_id=call_id, at=now, kind=AnswerKind.HUMAN))
        elif kind.startswith("bridged:"):
            relay.post(CallBridged(call_id=call_id, at=now, agent_id=kind.split(":")[1]))
        else:
            relay.post(CallHungUp(call_id=call_id, at=now))
    await relay.drained()
    task.cancel()


async def _publisher(args: argparse.Namespace) -> None:
    from config.bus import build_bus
    from renewals.clock import SystemClock

    settings = _settings(args.db, args.bus_url, args.stream)
    bus = build_bus(settings, SystemClock(), client_name="xubao-bench-runtime")  # type: ignore[arg-type]
    await _publish_calls(bus, json.loads(Path(args.calls).read_text()), args)
    await bus.close()


# The agents' process ---------------------------------------------------------------------------


async def _agents(args: argparse.Namespace) -> None:
    import websockets

    tokens: dict[str, str] = json.loads(Path(args.tokens).read_text())
    expected = int(args.expected)
    latencies: list[float] = []
    done = asyncio.Event()
    ready = 0
    all_ready = asyncio.Event()

    async def agent(agent_id: str, token: str) -> None:
        nonlocal ready
        url = f"ws://127.0.0.1:{args.port}/ws/agent"
        headers = {"Cookie": f"xubao_session={token}", "Origin": f"http://127.0.0.1:{args.port}"}
        async with websockets.connect(url, additional_headers=headers, max_queue=None) as ws:
            ready += 1
            if ready == len(tokens):
                all_ready.set()
            async for raw in ws:
                arrived = datetime.now(UTC)
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "ping":
                    await ws.send(json.dumps({"type": "pong", "n": message["n"]}))
                elif kind == "pop" and "bridged_at" in message:
                    sent = datetime.fromisoformat(message["bridged_at"])
                    latencies.append((arrived - sent).total_seconds() * 1000)
                    if len(latencies) == expected:
                        done.set()

    tasks = [asyncio.create_task(agent(a, t)) for a, t in tokens.items()]
    await asyncio.wait_for(all_ready.wait(), 120)
    print("ready", flush=True)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), args.timeout)
    for task in tasks:
        task.cancel()
    print(json.dumps({"latencies_ms": latencies}), flush=True)


# The orchestration -----------------------------------------------------------------------------


def _xubao(env: dict[str, str], *argv: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "config.cli", *argv], env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def _prepare(workdir: Path, agents: int, calls: int, unanswered: int) -> tuple[str, Path, Path]:
    """The book, the campaign, the agents (accounts, sessions, seats logged in) and one answered
    call per pop, with ``unanswered`` other attempts ringing beside it."""
    import random

    from sqlalchemy import select, update

    from agent_console.accounts import add_user, open_session
    from config.db import create_db_engine, make_session_factory
    from dialer.models import Seat, SeatState
    from dialer.seats import change_seat
    from renewals.models import ContactAttempt, Lead

    db_url = f"sqlite:///{workdir / 'bench.db'}"
    env = {
        **os.environ,
        "XUBAO_DATABASE_URL": db_url,
        "XUBAO_CONFIG_FILE": "none.toml",
        "XUBAO_LOG_LEVEL": "WARNING",
    }
    _xubao(env, "db", "upgrade")
    _xubao(env, "demo-data", "--leads", str(calls), "--out", str(workdir / "book.csv"))
    _xubao(env, "import", str(workdir / "book.csv"))
    _xubao(env, "campaign", "create", "q4", "--name", "bench", "--queue", "renewals",
           "--caller-id", "02150001001")  # fmt: skip
    engine = create_db_engine(db_url)
    now = datetime.now(UTC)
    tokens: dict[str, str] = {}
    pairs: list[list[object]] = []
    rng = random.Random(7)
    with make_session_factory(engine).begin() as session:
        for n in range(agents):
            agent_id = f"{2001 + n}"
            user = add_user(
                session, name=f"bench{agent_id}", role="agent", password="bench-password-1",
                extension=agent_id, at=now,
            )  # fmt: skip
            tokens[agent_id] = open_session(session, user, at=now, ttl_s=7200, language="zh_CN")
            change_seat(session, agent_id, SeatState.READY, at=now, campaign_id="q4")
        session.execute(update(Seat).values(heard_at=now))
        lead_ids = session.scalars(select(Lead.id).order_by(Lead.id).limit(calls)).all()
        for n, lead_id in enumerate(lead_ids):
            agent_id = f"{2001 + n % agents}"
            call_id = f"bench-{uuid.uuid4().hex[:12]}"
            session.add(
                ContactAttempt(
                    lead_id=lead_id, call_id=call_id, campaign_id="q4", agent=agent_id,
                    caller_id="02150001001", started_at=now, answered_at=now, bridged_at=now,
                )
            )  # fmt: skip
            others = [f"bench-x-{uuid.uuid4().hex[:12]}" for _ in range(unanswered)]
            for other in others:  # as costly to read as the answered one: another lead's card
                session.add(
                    ContactAttempt(
                        lead_id=rng.choice(lead_ids), call_id=other, campaign_id="q4",
                        caller_id="02150001001", started_at=now,
                    )
                )  # fmt: skip
            pairs.append([call_id, agent_id, others])
    engine.dispose()
    (workdir / "tokens.json").write_text(json.dumps(tokens))
    (workdir / "calls.json").write_text(json.dumps(pairs))
    return db_url, workdir / "tokens.json", workdir / "calls.json"


def _child(role: str, *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.screen_pop", role, *argv],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def _run_one(bus: str, args: argparse.Namespace) -> list[float]:
    calls = int(args.rate * args.seconds)
    with tempfile.TemporaryDirectory(prefix="xubao-bench-pop-") as tmp:
        db_url, tokens, calls_file = _prepare(Path(tmp), args.agents, calls, args.unanswered)
        bus_url = REDIS_URL if bus == "redis" else ""
        stream = f"xubao-bench:{uuid.uuid4().hex[:8]}:events"
        common = ["--db", db_url, "--bus-url", bus_url, "--stream", stream, "--calls",
                  str(calls_file), "--rate", str(args.rate), "--ring-s", str(args.ring_s),
                  "--unanswered", str(args.unanswered),
                  "--answer-s", str(args.answer_s)]  # fmt: skip
        console = _child("console", *common)
        assert console.stdin is not None and console.stdout is not None
        port = json.loads(console.stdout.readline())["port"]
        agents = _child("agents", "--port", str(port), "--tokens", str(tokens),
                        "--expected", str(calls),
                        "--timeout", str(args.seconds + args.ring_s + 60))  # fmt: skip
        assert agents.stdout is not None
        assert agents.stdout.readline().strip() == "ready"
        time.sleep(2)  # the sockets' first resync settles
        if bus == "memory":
            console.stdin.write("go\n")
            console.stdin.flush()
        else:
            publisher = _child("publisher", *common)
            publisher.wait()
        out, _ = agents.communicate(timeout=args.seconds + args.ring_s + 120)
        console.stdin.write("stop\n")
        console.stdin.flush()
        console.wait(timeout=60)
        if bus == "redis":
            import redis

            with redis.Redis.from_url(REDIS_URL) as client:
                client.delete(stream)
        latencies: list[float] = json.loads(out.strip().splitlines()[-1])["latencies_ms"]
        if len(latencies) < calls:
            print(f"  {bus}: only {len(latencies)} of {calls} pops arrived", flush=True)
        return latencies


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screen_pop")
    parser.add_argument("role", nargs="?", default="bench",
                        choices=["bench", "console", "publisher", "agents"])  # fmt: skip
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5.0, help="answered calls a second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--bus", nargs="+", default=["memory", "redis"])
    parser.add_argument("--ring-s", type=float, default=5.0, help="ringing before the bridge")
    parser.add_argument("--unanswered", type=int, default=4, help="other calls ringing per pop")
    parser.add_argument(
        "--answer-s",
        type=float,
        default=0.0,
        help="answer before the bridge (0: the queue had a ready agent)",
    )
    parser.add_argument("--db", default="")
    parser.add_argument("--bus-url", default="")
    parser.add_argument("--stream", default="")
    parser.add_argument("--calls", default="")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tokens", default="")
    parser.add_argument("--expected", default="0")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    if args.role == "console":
        asyncio.run(_serve(args))
        return 0
    if args.role == "publisher":
        asyncio.run(_publisher(args))
        return 0
    if args.role == "agents":
        asyncio.run(_agents(args))
        return 0
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {args.agents} agents, {args.rate:g} pops/s "
          f"for {args.seconds:g} s, ringing {args.ring_s:g} s before, {args.unanswered} "
          f"unanswered a pop, answered {args.answer_s:g} s before; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'bus':<8} {'pops':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for bus in args.bus:
        latencies = _run_one(bus, args)
        if not latencies:
            print(f"{bus:<8} {0:>5}  no pop arrived")
            continue
        print(f"{bus:<8} {len(latencies):>5} {statistics.median(latencies):>8.1f} "
              f"{_percentile(latencies, 99):>8.1f} {max(latencies):>8.1f}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
