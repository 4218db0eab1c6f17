"""The IVR's services over the database, for both backends: call contexts, storing results,
and placing reminder calls on ARI or on the simulated network."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime

from ivr.ari.model import Channel
from ivr.ari.rest import AriRest
from ivr.engine import FlowEngine, SessionResult
from ivr.flow import FLOW_FOR
from ivr.port import CallContext
from ivr.reminders import ReminderCall
from ivr.sessions import IvrSessions
from ivr.simulated import ScriptedCustomer, SimulatedCall, random_profile
from renewals.clock import Clock

__all__ = [
    "FLOW_FOR",
    "AriReminderDialer",
    "DatabaseContexts",
    "DatabaseRecorder",
    "SimulatedReminderDialer",
]


class DatabaseContexts:
    """appArgs → flow and context: ``inbound,<did>`` by caller id, ``reminder,<lead>,<call>``."""

    def __init__(self, *, sessions: IvrSessions, language: str) -> None:
        self._sessions = sessions
        self._language = language

    async def open(self, channel: Channel, args: tuple[str, ...]) -> tuple[str, CallContext]:
        kind = args[0] if args else "inbound"
        if kind == "reminder":
            if len(args) < 2 or not args[1].isdigit():
                raise ValueError(f"reminder call without a lead id: appArgs {args}")
            call_id = args[2] if len(args) > 2 else channel.id
            ctx = await asyncio.to_thread(
                self._sessions.for_lead, call_id, int(args[1]), language=self._language
            )
            return FLOW_FOR["reminder"], ctx
        ctx = await asyncio.to_thread(
            self._sessions.for_caller, channel.id, channel.caller_number, language=self._language
        )
        return FLOW_FOR["inbound"], ctx


class DatabaseRecorder:
    def __init__(self, *, sessions: IvrSessions) -> None:
        self._sessions = sessions

    async def __call__(
        self, ctx: CallContext, result: SessionResult, *, started_at: datetime, at: datetime
    ) -> None:
        await asyncio.to_thread(self._sessions.record, ctx, result, started_at=started_at, at=at)


class AriReminderDialer:
    """Originates the reminder into our Stasis app; the app runs the flow when answered."""

    def __init__(self, *, rest: AriRest, dial_template: str, caller_id: str) -> None:
        self._rest = rest
        self._template = dial_template
        self._caller_id = caller_id

    async def __call__(self, call: ReminderCall) -> None:
        await self._rest.originate(
            endpoint=self._template.format(number=call.phone),
            app_args=("reminder", str(call.lead_id), call.call_id),
            channel_id=call.call_id,
            caller_id=self._caller_id,
        )


class SimulatedReminderDialer:
    """On the simulated network the customer answers and the flow runs at once: a seeded
    customer presses keys by a random profile (the demo's reminder calls)."""

    def __init__(
        self,
        *,
        sessions: IvrSessions,
        engine: FlowEngine,
        clock: Clock,
        seed: int,
        language: str,
    ) -> None:
        self._sessions = sessions
        self._engine = engine
        self._clock = clock
        self._rng = random.Random(seed)
        self._language = language
        self.results: list[SessionResult] = []

    async def __call__(self, call: ReminderCall) -> None:
        ctx = self._sessions.for_lead(call.call_id, call.lead_id, language=self._language)
        customer = ScriptedCustomer(random_profile(self._rng))
        line = SimulatedCall(call_id=call.call_id, customer=customer, clock=self._clock)
        started_at = self._clock.now()
        result = await self._engine.run(FLOW_FOR["reminder"], ctx, line)
        self._sessions.record(ctx, result, started_at=started_at, at=self._clock.now())
        self.results.append(result)
