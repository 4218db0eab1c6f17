"""One end of the bus in its own OS process, for the cross-process tests.

    python -m tests.integration.bus.bus_process subscribe --url URL --stream S --count N
    python -m tests.integration.bus.bus_process publish --url URL --stream S --agents A,B --calls N

``subscribe`` prints ``ready`` once it reads the stream, then one JSON line per ``CallBridged``
(call id, agent id) until it has ``count``; ``publish`` sends ``calls`` CallBridged events through
the runtime's relay, the agents taking turns. Both build the bus as ``xubao`` does, from settings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from config.bus import BusRelay, build_bus
from config.settings import Settings
from dialer.bus.redis_bus import RedisBus
from dialer.telephony.events import CallBridged
from renewals.clock import SystemClock


async def subscribe(settings: Settings, count: int) -> None:
    bus = build_bus(settings, SystemClock(), client_name="xubao-test-sub")
    assert isinstance(bus, RedisBus)
    events = bus.subscribe(CallBridged)
    await bus.start()
    print("ready", flush=True)
    seen = 0
    async for event in events:
        assert isinstance(event, CallBridged)
        print(json.dumps({"call_id": event.call_id, "agent_id": event.agent_id}), flush=True)
        seen += 1
        if seen == count:
            break
    await bus.close()


async def publish(settings: Settings, agents: list[str], calls: int) -> None:
    clock = SystemClock()
    bus = build_bus(settings, clock, client_name="xubao-test-pub")
    relay = BusRelay(bus=bus, clock=clock)
    task = asyncio.create_task(relay.run(), name="bus-relay")
    for n in range(calls):
        agent = agents[n % len(agents)]
        relay.post(CallBridged(call_id=f"call-{n:04d}", at=clock.now(), agent_id=agent))
    await relay.drained()
    task.cancel()
    await bus.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["subscribe", "publish"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--stream", required=True)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--agents", default="A,B")
    parser.add_argument("--calls", type=int, default=0)
    args = parser.parse_args(argv)
    settings = Settings(bus_url=args.url, bus_stream=args.stream)
    if args.role == "subscribe":
        asyncio.run(subscribe(settings, args.count))
    else:
        asyncio.run(publish(settings, args.agents.split(","), args.calls))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
