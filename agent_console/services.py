"""Everything the routes need, handed to ``build_app`` once (no globals)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from agent_console.floor import Floor
from agent_console.hub import AgentHub
from agent_console.options import ConsoleOptions
from agent_console.ratelimit import LoginLimiter
from dialer.bus import EventBus
from recordings.store import RecordingStore
from renewals.cadence.rules import CadenceRules
from renewals.clock import Clock
from renewals.quoting import QuoteRules

__all__ = ["ConsoleServices"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsoleServices:
    sessions: sessionmaker[Session]
    clock: Clock
    options: ConsoleOptions
    floor: Floor
    bus: EventBus
    hub: AgentHub
    limiter: LoginLimiter
    cadence: CadenceRules
    quoting: QuoteRules
    timezone: str
    recordings: RecordingStore  # the stored calls the QA pages play
