"""``xubao serve``: the consoles' web app with, in the same process, the campaign runtimes.

The app, the telephony backend and each campaign's runtime share one event loop: the runtime
dials and follows calls, the port's events go on the event bus, and the app turns them into
screen-pops. On the simulated network this is the only way human agents reach its queue.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable, Sequence

import uvicorn
from sqlalchemy import select

from agent_console.floor import CampaignFloor, Floor
from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules
from config.settings import Settings
from config.shift import compose_runtime
from config.telephony import build_telephony, runtime_options
from config.web import create_app, forward_events
from dialer.bus import MemoryBus
from dialer.models import Campaign, CampaignStatus
from dialer.runtime import CampaignRuntime
from renewals.clock import Clock

__all__ = ["serve_console"]

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """Tells when it listens (``up``), so the URL printed is the port really bound."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.up = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.up.set()


def _campaigns(settings: Settings, wanted: Sequence[str]) -> list[str]:
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine)() as session:
            ids = list(
                session.scalars(
                    select(Campaign.id)
                    .where(Campaign.status != CampaignStatus.STOPPED)
                    .order_by(Campaign.id)
                )
            )
    finally:
        engine.dispose()
    if not wanted:
        return ids
    unknown = [c for c in wanted if c not in ids]
    if unknown:
        raise LookupError(f"no campaign (or stopped): {', '.join(unknown)}")
    return list(wanted)


async def serve_console(
    settings: Settings,
    *,
    host: str,
    port: int,
    campaign_ids: Sequence[str],
    clock: Clock,
    on_ready: Callable[[str], None],
) -> None:
    """Serve until SIGINT/SIGTERM; then stop dialing and follow the calls still up to their end."""
    campaigns = _campaigns(settings, campaign_ids)
    engine = create_db_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    telephony = build_telephony(settings, clock)
    bus = MemoryBus()
    await telephony.start()
    runtimes: list[CampaignRuntime] = []
    try:
        floors: dict[str, CampaignFloor] = {}
        owner = socket.gethostname()
        for campaign_id in campaigns:
            runtime, desk = compose_runtime(
                sessions=sessions, port=telephony, clock=clock, campaign_id=campaign_id,
                owner=f"{owner}-serve-{campaign_id}", rules=cadence_rules(settings.cadence),
                options=runtime_options(settings),
            )  # fmt: skip
            await runtime.start()
            runtimes.append(runtime)
            floors[campaign_id] = CampaignFloor(campaign_id=campaign_id, desk=desk, runtime=runtime)
        app = create_app(settings, sessions=sessions, bus=bus, floor=Floor(floors), clock=clock)
        server = _Server(uvicorn.Config(app, host=host, port=port, log_config=None, lifespan="on"))
        events = telephony.events()  # subscribed before the first call is placed
        async with asyncio.TaskGroup() as group:
            forward = group.create_task(forward_events(events, bus), name="port-to-bus")
            running = [group.create_task(r.run(), name="runtime") for r in runtimes]
            serving = group.create_task(server.serve(), name="uvicorn")
            started = group.create_task(server.up.wait(), name="uvicorn-up")
            await asyncio.wait((started, serving), return_when=asyncio.FIRST_COMPLETED)
            started.cancel()
            if server.started:
                bound = server.servers[0].sockets[0].getsockname()
                on_ready(f"http://{bound[0]}:{bound[1]}/")
            await serving
            for runtime in runtimes:
                runtime.stop()
            for task in running:
                await task
            forward.cancel()
    finally:
        await telephony.close()
        await bus.close()
        engine.dispose()
