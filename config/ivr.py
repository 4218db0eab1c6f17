"""The IVR's composition: flows, prompts check, the ARI Stasis app, reminder call backends,
and the bus the IVR announces its sessions on (for the supervisors' floor).

Everything is built from the settings handed in; nothing here runs at import.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Engine

from config.bus import build_bus
from config.db import make_session_factory
from config.domain import cadence_rules
from config.settings import Settings
from dialer.bus import EventBus
from ivr.ari import AriClient, AriRest, AriSettings
from ivr.ari.app import AriIvr
from ivr.engine import FlowEngine
from ivr.flow import Flow, load_flows, shipped_flows_dir
from ivr.prompt_check import IVR_LANGUAGES, missing_audio
from ivr.reminders import Place
from ivr.service import (
    AriReminderDialer,
    DatabaseContexts,
    DatabaseRecorder,
    SimulatedReminderDialer,
)
from ivr.sessions import IvrSessions
from renewals.clock import Clock

__all__ = [
    "ari_settings",
    "build_ari_ivr",
    "configured_flows",
    "ivr_bus",
    "ivr_sessions",
    "reminder_dialer",
    "report_missing_prompts",
]

log = logging.getLogger(__name__)


def configured_flows(settings: Settings) -> dict[str, Flow]:
    return load_flows(settings.ivr.flows_dir or shipped_flows_dir())


def report_missing_prompts(settings: Settings, flows: dict[str, Flow]) -> list[str]:
    """The start-up check: every prompt file the flows can play, in each language."""
    missing = missing_audio(flows.values(), settings.resolved_prompt_dir, IVR_LANGUAGES)
    if missing:
        log.warning(
            "%s IVR prompt file(s) missing under %s, e.g. %s (xubao ivr prompts --synthesize)",
            len(missing),
            settings.resolved_prompt_dir,
            ", ".join(missing[:5]),
        )
    return missing


def ivr_sessions(settings: Settings, engine: Engine) -> IvrSessions:
    return IvrSessions(
        session_factory=make_session_factory(engine),
        rules=cadence_rules(settings.cadence),
        queue=settings.ivr.queue,
    )


def ari_settings(settings: Settings) -> AriSettings:
    section = settings.ivr
    return AriSettings(
        base_url=section.ari_url,
        app=section.ari_app,
        username=section.ari_user,
        password=section.ari_password.get_secret_value(),
    )


@asynccontextmanager
async def ivr_bus(settings: Settings, clock: Clock) -> AsyncIterator[EventBus | None]:
    """The node's bus (Redis, ``XUBAO_BUS_URL``) for the IVR's session events, closed on exit;
    None without one: the IVR runs in its own process (``xubao ivr run``, the scheduler's
    reminder job), where an in-memory bus would reach no console."""
    if not settings.bus_url:
        yield None
        return
    bus = build_bus(settings, clock, client_name="xubao-ivr")
    try:
        yield bus
    finally:
        await bus.close()


def build_ari_ivr(
    settings: Settings,
    engine: Engine,
    rest: AriRest,
    clock: Clock,
    *,
    bus: EventBus | None = None,
) -> AriIvr:
    """The Stasis app; its sessions are announced on ``bus`` if one is given."""
    flows = configured_flows(settings)
    report_missing_prompts(settings, flows)
    sessions = ivr_sessions(settings, engine)
    return AriIvr(
        client=AriClient(settings=ari_settings(settings), rest=rest),
        engine=FlowEngine(flows=flows, clock=clock, bus=bus),
        contexts=DatabaseContexts(sessions=sessions, language=settings.ivr.language),
        recorder=DatabaseRecorder(sessions=sessions),
        clock=clock,
    )


@asynccontextmanager
async def reminder_dialer(settings: Settings, engine: Engine, clock: Clock) -> AsyncIterator[Place]:
    """Where reminder calls go: Asterisk (ARI originate) or the simulated network.

    On Asterisk the answered call runs in the Stasis app (``xubao ivr run``), which announces
    it; on the simulated network the flow runs here, announced on the node's bus if any.
    """
    if settings.telephony == "asterisk":
        async with AriRest(settings=ari_settings(settings)) as rest:
            yield AriReminderDialer(
                rest=rest,
                dial_template=settings.ivr.reminder_dial_template,
                caller_id=settings.ivr.reminder_caller_id,
            )
        return
    async with ivr_bus(settings, clock) as bus:
        yield SimulatedReminderDialer(
            sessions=ivr_sessions(settings, engine),
            engine=FlowEngine(flows=configured_flows(settings), clock=clock, bus=bus),
            clock=clock,
            seed=settings.ivr.sim_seed,
            language=settings.ivr.language,
        )
