"""Composition of the consoles' web app: ``create_app(settings, …)`` and the demo clock."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from agent_console.app import build_app
from agent_console.floor import Floor
from agent_console.hub import AgentHub
from agent_console.options import ConsoleOptions, PauseCode
from agent_console.ratelimit import LoginLimiter
from agent_console.services import ConsoleServices
from config.domain import cadence_rules, quote_rules
from config.scripts import CALL_SCRIPT
from config.settings import Settings
from dialer.bus import EventBus
from dialer.floor import AlertLimits
from recordings.store import RecordingStore
from renewals.clock import Clock, SystemClock

__all__ = ["ShiftedClock", "console_options", "create_app"]

log = logging.getLogger(__name__)


def console_options(settings: Settings) -> ConsoleOptions:
    section = settings.console
    alerts = section.floor_alerts
    return ConsoleOptions(
        session_ttl_s=section.session_ttl_s,
        secure_cookies=section.secure_cookies,
        login_attempts=section.login_attempts,
        login_attempts_per_address=section.login_attempts_per_address,
        login_window_s=section.login_window_s,
        ping_s=section.ping_s,
        recording_pause_limit_s=section.recording_pause_limit_s,
        pause_codes=tuple(
            PauseCode(code=p.code, label_zh=p.label_zh, label_en=p.label_en, limit_s=p.limit_s)
            for p in section.pause_codes
        ),
        call_script=section.call_script_file or CALL_SCRIPT,
        floor_alerts=AlertLimits(
            ready_s=alerts.ready_s,
            paused_s=alerts.paused_s,
            wrap_up_s=alerts.wrap_up_s,
            on_call_s=alerts.on_call_s,
            abandon_near=alerts.abandon_near,
            paused_by_code_s={p.code: p.limit_s for p in section.pause_codes if p.limit_s},
        ),
    )


def create_app(
    settings: Settings,
    *,
    sessions: sessionmaker[Session],
    bus: EventBus,
    floor: Floor,
    clock: Clock | None = None,
) -> FastAPI:
    """The consoles' app over this node's database, event bus and campaigns."""
    clock = clock or SystemClock()
    options = console_options(settings)
    services = ConsoleServices(
        sessions=sessions,
        clock=clock,
        options=options,
        floor=floor,
        bus=bus,
        hub=AgentHub(),
        limiter=LoginLimiter(
            clock=clock,
            attempts=options.login_attempts,
            address_attempts=options.login_attempts_per_address,
            window_s=options.login_window_s,
        ),
        cadence=cadence_rules(settings.cadence),
        quoting=quote_rules(settings.quoting),
        timezone=settings.timezone,
        recordings=RecordingStore(root=settings.resolved_recording_store_dir),
    )
    return build_app(services)


class ShiftedClock:
    """Real time, shifted to start at ``start``: a daytime demo on a machine's evening.

    Calling hours are checked against this clock, so a demo at 22:00 still dials as at 10:00.
    """

    def __init__(self, start: datetime, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._offset: timedelta = start.astimezone(UTC) - datetime.now(UTC)

    def now(self) -> datetime:
        return self._base.now() + self._offset

    def monotonic(self) -> float:
        return self._base.monotonic()

    async def sleep(self, seconds: float) -> None:
        await self._base.sleep(seconds)
