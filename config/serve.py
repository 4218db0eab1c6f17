"""``xubao serve``: the consoles' web app, with the campaign runtimes or beside them.

With the in-memory bus (or ``--with-runtime``) the app, the telephony backend and each
campaign's runtime share one event loop: the runtime dials and follows calls, the port's events
go on the event bus, and the app turns them into screen-pops. With a Redis bus and no
``--with-runtime`` the process serves the consoles only: each campaign's runtime runs in
``xubao dialer run`` (on this machine or another), its events reach the app through Redis, and
the agents' seat and call actions reach its telephony port as bus commands (``RemotePort``), so
one runtime and any number of console processes work the same campaign.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Callable, Iterator, Sequence

import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent_console.floor import CampaignFloor, Floor
from config.bus import BusRelay, PortBridge, build_bus
from config.db import create_db_engine, make_session_factory
from config.domain import cadence_rules
from config.settings import Settings
from config.shift import agent_bots, compose_runtime
from config.telephony import build_telephony, default_sim_profile, runtime_options
from config.web import create_app
from dialer.bus import EventBus, PortCommandServer, RemotePort
from dialer.floor import AnnouncingPort
from dialer.models import Campaign, CampaignStatus
from dialer.runtime import CampaignRuntime
from dialer.seats import SeatDesk
from dialer.simulated import SimProfile
from dialer.simulated.agents import AgentBots
from dialer.telephony import TelephonyPort
from renewals.clock import Clock

__all__ = ["remote_floors", "runs_runtimes", "serve_console"]

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """Tells when it listens (``up``), so the URL printed is the port really bound.

    Signals are ours, not uvicorn's: uvicorn re-raises a captured SIGINT once it stopped, which
    would cancel the runtimes while they follow their last calls to the end.
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.up = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.handle_exit, sig, None)
        try:
            yield
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

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


def runs_runtimes(settings: Settings, *, with_runtime: bool) -> bool:
    """The rule: ``xubao serve`` runs the campaigns' runtimes with the in-memory bus (one
    process is the whole node) or when asked (``--with-runtime``); on a Redis bus the runtimes
    run in ``xubao dialer run`` and every ``xubao serve`` only serves the consoles."""
    return not settings.bus_url or with_runtime


async def serve_console(
    settings: Settings,
    *,
    host: str,
    port: int,
    campaign_ids: Sequence[str],
    clock: Clock,
    on_ready: Callable[[str], None],
    bots: int = 0,
    with_runtime: bool = False,
) -> None:
    """Serve until SIGINT/SIGTERM; then stop dialing and follow the calls still up to their end.

    With runtimes here (``runs_runtimes``), ``bots`` simulated agents (simulated network only)
    work the first campaign beside the people logged in through the console; the port's events
    and the seats' changes go on the bus of the settings (``XUBAO_BUS_URL``), and on Redis the
    seat and call actions of other console processes are applied to this process's port.
    Without, seat and call actions go over the bus to each campaign's runtime (``RemotePort``).
    """
    campaigns = _campaigns(settings, campaign_ids)
    local = runs_runtimes(settings, with_runtime=with_runtime)
    if bots and not local:
        raise LookupError("bots work beside the runtime: `xubao dialer run --bots N`")
    engine = create_db_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    bus = build_bus(settings, clock, client_name="xubao-serve")
    relay = BusRelay(bus=bus, clock=clock)
    try:
        if local:
            await _serve_with_runtimes(
                settings, sessions=sessions, bus=bus, relay=relay, campaigns=campaigns,
                clock=clock, server=(host, port, on_ready), bots=bots,
            )  # fmt: skip
        else:
            await _serve_consoles_only(
                settings, sessions=sessions, bus=bus, relay=relay, campaigns=campaigns,
                clock=clock, server=(host, port, on_ready),
            )  # fmt: skip
    finally:
        await bus.close()
        engine.dispose()


_Listen = tuple[str, int, Callable[[str], None]]


def _server(settings: Settings, app_floor: Floor, *, sessions: sessionmaker[Session],
            bus: EventBus, clock: Clock, listen: _Listen) -> _Server:  # fmt: skip
    app = create_app(settings, sessions=sessions, bus=bus, floor=app_floor, clock=clock)
    host, port, _ = listen
    return _Server(uvicorn.Config(app, host=host, port=port, log_config=None, lifespan="on"))


async def _serve_consoles_only(
    settings: Settings,
    *,
    sessions: sessionmaker[Session],
    bus: EventBus,
    relay: BusRelay,
    campaigns: Sequence[str],
    clock: Clock,
    server: _Listen,
) -> None:
    """The consoles of a Redis node whose runtimes run elsewhere (``xubao dialer run``)."""
    floors = remote_floors(settings, sessions, bus, clock, campaigns, relay.post)
    ports = [f.port for f in floors.values()]
    for remote in ports:
        await remote.start()
    try:
        web = _server(settings, Floor(floors), sessions=sessions, bus=bus, clock=clock,
                      listen=server)  # fmt: skip
        async with asyncio.TaskGroup() as group:
            relaying = group.create_task(relay.run(), name="bus-relay")
            await _serve(web, group, server[2])
            await _drain(relay)
            relaying.cancel()
    finally:
        for remote in ports:
            await remote.close()


def remote_floors(
    settings: Settings,
    sessions: sessionmaker[Session],
    bus: EventBus,
    clock: Clock,
    campaigns: Sequence[str],
    post: Callable[[object], None],
) -> dict[str, CampaignFloor]:
    """Per campaign, a seat desk whose port is the campaign's runtime, reached over the bus."""
    floors: dict[str, CampaignFloor] = {}
    for campaign_id in campaigns:
        with sessions() as session:
            campaign = session.get(Campaign, campaign_id)
            assert campaign is not None  # listed by _campaigns just now
            queue = campaign.queue
        remote = RemotePort(bus=bus, campaign_id=campaign_id, clock=clock)
        desk = SeatDesk(
            sessions=sessions, port=remote, clock=clock, campaign_id=campaign_id, queue=queue,
            on_change=post, lapse_s=settings.seat_lapse_s,
        )  # fmt: skip
        floors[campaign_id] = CampaignFloor(campaign_id=campaign_id, desk=desk, port=remote)
    return floors


async def _serve_with_runtimes(
    settings: Settings,
    *,
    sessions: sessionmaker[Session],
    bus: EventBus,
    relay: BusRelay,
    campaigns: Sequence[str],
    clock: Clock,
    server: _Listen,
    bots: int,
) -> None:
    telephony = AnnouncingPort(port=build_telephony(settings, clock), post=relay.post, clock=clock)
    await telephony.start()
    try:
        bridge = PortBridge(port_events=telephony.events, relay=relay, clock=clock)
        commands = PortCommandServer(bus=bus, port=telephony, campaign_ids=campaigns, clock=clock)
        floors = await _floors(settings, sessions, telephony, clock, campaigns, relay.post)
        web = _server(settings, Floor(floors), sessions=sessions, bus=bus, clock=clock,
                      listen=server)  # fmt: skip
        team = _bots(settings, sessions, clock, floors, bots)
        async with asyncio.TaskGroup() as group:
            relaying = group.create_task(relay.run(), name="bus-relay")
            bridging = group.create_task(bridge.run(), name="bus-bridge")
            commanding = group.create_task(commands.run(), name="port-commands")
            working = None
            if team is not None:
                bot_events = telephony.events()
                await team.login_all()
                working = group.create_task(
                    team.run(bot_events, resubscribe=telephony.events), name="agent-bots"
                )
            runtimes = [f.runtime for f in floors.values() if f.runtime is not None]
            running = [group.create_task(r.run(), name="runtime") for r in runtimes]
            await _serve(web, group, server[2])
            with _stop_again(runtimes):
                for runtime in runtimes:
                    runtime.stop()
                for task in running:
                    await task  # the calls still up are followed to their stored outcome
                if team is not None and working is not None:
                    working.cancel()
                    await team.logout_all()  # nobody may be dialed for once we are gone
                commanding.cancel()
                bridging.cancel()
                await _drain(relay)
                relaying.cancel()
    finally:
        await telephony.close()


@contextlib.contextmanager
def _stop_again(runtimes: Sequence[CampaignRuntime]) -> Iterator[None]:
    """After uvicorn has stopped, Ctrl-C or SIGTERM again stops waiting for the last calls
    (the runtimes leave them to the next start) instead of a traceback mid-shutdown."""
    loop = asyncio.get_running_loop()

    def again() -> None:
        for runtime in runtimes:
            runtime.stop()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, again)
    try:
        yield
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def _floors(
    settings: Settings,
    sessions: sessionmaker[Session],
    telephony: TelephonyPort,
    clock: Clock,
    campaigns: Sequence[str],
    post: Callable[[object], None],
) -> dict[str, CampaignFloor]:
    floors: dict[str, CampaignFloor] = {}
    owner = socket.gethostname()
    for campaign_id in campaigns:
        runtime, desk = compose_runtime(
            sessions=sessions, port=telephony, clock=clock, campaign_id=campaign_id,
            owner=f"{owner}-serve-{campaign_id}", rules=cadence_rules(settings.cadence),
            options=runtime_options(settings), on_seat_change=post,
        )  # fmt: skip
        await runtime.start()
        floors[campaign_id] = CampaignFloor(
            campaign_id=campaign_id, desk=desk, port=telephony, runtime=runtime
        )
    return floors


async def _serve(
    server: _Server, group: asyncio.TaskGroup, on_ready: Callable[[str], None]
) -> None:
    """Run uvicorn until it is told to stop; ``on_ready`` gets the URL it really listens on."""
    serving = group.create_task(server.serve(), name="uvicorn")
    started = group.create_task(server.up.wait(), name="uvicorn-up")
    await asyncio.wait((started, serving), return_when=asyncio.FIRST_COMPLETED)
    started.cancel()
    if server.started:
        bound = server.servers[0].sockets[0].getsockname()
        on_ready(f"http://{bound[0]}:{bound[1]}/")
    await serving


async def _drain(relay: BusRelay) -> None:
    """Publish what the last calls left behind, but never hang the shutdown on the broker."""
    try:
        async with asyncio.timeout(5.0):
            await relay.drained()
    except TimeoutError:
        log.warning("%d bus event(s) not published at shutdown", relay.waiting)


def _bots(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: Clock,
    floors: dict[str, CampaignFloor],
    count: int,
) -> AgentBots | None:
    if not count or not floors:
        return None
    if settings.telephony != "simulated":
        raise LookupError("bots work on the simulated network only (XUBAO_TELEPHONY=simulated)")
    profile = SimProfile.load(settings.sim_profile or default_sim_profile())
    first = next(iter(floors.values()))
    return agent_bots(
        sessions=sessions, desk=first.desk, clock=clock, rules=cadence_rules(settings.cadence),
        agents=count, wrap=profile.wrap_s, seed=settings.sim_seed,
    )  # fmt: skip
