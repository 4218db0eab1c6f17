"""Set-up of the IVR flow tests: a lead in a real database, the shipped flows, a simulated call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session, sessionmaker

from dialer.bus import EventBus
from ivr.engine import FlowEngine, SessionResult
from ivr.flow import load_flows, shipped_flows_dir
from ivr.models import IvrSession
from ivr.port import CallContext
from ivr.sessions import IvrSessions
from ivr.simulated import CustomerProfile, ScriptedCustomer, SimulatedCall
from renewals.cadence import DEFAULT_RULES
from renewals.clock import FixedClock
from tests import factories as f

AT = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
PHONE = "13800138001"
PLATE = "粤B12345"
END = date(2026, 5, 20)


def add_lead(sf: sessionmaker[Session], *, owner_agent: str | None = "1001") -> int:
    with sf.begin() as s:
        owner = f.customer(phone=PHONE)
        lead = f.lead(
            pol=f.policy(car=f.vehicle(owner=owner, plate=PLATE), end_date=END),
            owner_agent=owner_agent,
        )
        f.add(s, lead)
        return lead.id


@dataclass
class Ran:
    result: SessionResult
    call: SimulatedCall
    customer: ScriptedCustomer
    stored: IvrSession
    ctx: CallContext


async def run_flow(
    sf: sessionmaker[Session],
    flow_id: str,
    answers: list[str],
    *,
    ctx: CallContext | None = None,
    caller: str = PHONE,
    lead_id: int | None = None,
    barge_in: bool = False,
    call_id: str = "ivr-test-1",
    bus: EventBus | None = None,
) -> Ran:
    clock = FixedClock(AT)
    sessions = IvrSessions(session_factory=sf, rules=DEFAULT_RULES, queue="renewal-2026q4")
    if ctx is None:
        if lead_id is not None:
            ctx = sessions.for_lead(call_id, lead_id)
        else:
            ctx = sessions.for_caller(call_id, caller)
    customer = ScriptedCustomer(CustomerProfile(answers=tuple(answers), barge_in=barge_in))
    call = SimulatedCall(call_id=call_id, customer=customer, clock=clock)
    engine = FlowEngine(flows=load_flows(shipped_flows_dir()), clock=clock, bus=bus)
    result = await engine.run(flow_id, ctx, call)
    stored = sessions.record(ctx, result, started_at=AT, at=clock.now())
    return Ran(result, call, customer, stored, ctx)
