"""No call outside the customer's calling hours or to a do-not-call number, whatever the clock.

The runtime's own tick is driven at instants around the window edges, in two time zones, with
a ready agent and due leads; what it originates is checked against the rules.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config.shift import compose_runtime
from config.telephony import default_sim_profile
from dialer.models import CampaignMode
from dialer.simulated import SimProfile, SimulatedNetwork, VirtualClock, run_virtual
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt, Customer, DncReason, DoNotCall, Lead, Policy, Vehicle
from tests.integration.dialer.runtime.campaign_process import START, seed_book

SHANGHAI_0900 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("offset_s", "zones_open"),
    [
        (-1, set()),  # 08:59:59 in Shanghai: nobody
        (0, {"Asia/Shanghai"}),  # 09:00:00 in Shanghai, 07:00 in Urumqi
        (2 * 3600, {"Asia/Shanghai", "Asia/Urumqi"}),  # 11:00 / 09:00
        (12 * 3600 - 1, {"Asia/Shanghai", "Asia/Urumqi"}),  # 20:59:59 / 18:59:59
        (12 * 3600, {"Asia/Urumqi"}),  # 21:00:00 in Shanghai: only Urumqi (19:00)
        (14 * 3600, set()),  # 23:00 / 21:00: nobody
    ],
)
def test_one_tick_dials_only_open_zones_and_never_a_blocked_number(
    session_factory: sessionmaker[Session], tmp_path: Path, offset_s: int, zones_open: set[str]
) -> None:
    with session_factory.begin() as s:
        phones = seed_book(s, leads=60, mode=CampaignMode.PROGRESSIVE, now=START)
        blocked = phones[1:6]  # Shanghai customers (every tenth is in Urumqi)
        for phone in blocked:
            s.add(DoNotCall(phone=phone, reason=DncReason.OPT_OUT, created_at=START))
    at = SHANGHAI_0900 + timedelta(seconds=offset_s)

    async def tick() -> int:
        clock = VirtualClock(start=at)
        net = SimulatedNetwork(profile=SimProfile.load(default_sim_profile()), clock=clock,
                               seed=1, recordings_dir=tmp_path)  # fmt: skip
        await net.start()
        runtime, desk = compose_runtime(
            sessions=session_factory,
            port=net,
            clock=clock,
            campaign_id="q4",
            owner="r1",
            rules=CadenceRules(),
        )
        await runtime.start()
        for n in range(40):  # progressive: one call per ready agent
            await desk.login(f"{2000 + n}")
        placed = await runtime.tick()
        await net.close()
        return placed

    placed = run_virtual(tick())
    with session_factory() as s:
        dialed = s.execute(
            select(Customer.phone, Customer.timezone)
            .join(Vehicle, Vehicle.customer_id == Customer.id)
            .join(Policy, Policy.vehicle_id == Vehicle.id)
            .join(Lead, Lead.policy_id == Policy.id)
            .join(ContactAttempt, ContactAttempt.lead_id == Lead.id)
        ).all()
    assert placed == len(dialed)
    assert {tz for _phone, tz in dialed} == zones_open
    assert not {phone for phone, _tz in dialed} & set(blocked)
    if zones_open:
        assert placed > 0
