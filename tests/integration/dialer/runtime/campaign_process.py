"""A campaign runtime in its own process, for the crash and concurrency tests.

    python -m tests.integration.dialer.runtime.campaign_process --db URL --owner runtime-1 \
        --clock virtual --start 2026-11-26T02:00:00+00:00 --seconds 14400 --agents 4 --prefix 10

The database must hold the book and a running campaign ``q4`` (see ``seed_book``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from config.db import create_db_engine, make_session_factory
from config.shift import run_shift
from dialer.campaigns import CampaignSpec, create_campaign, set_campaign_status
from dialer.models import CampaignMode, CampaignStatus
from dialer.seats import SeatDesk
from dialer.simulated import SimProfile, VirtualClock, run_virtual
from renewals.cadence.rules import CadenceRules
from renewals.clock import SystemClock
from tests import factories as f

START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
EXPIRY = date(2027, 1, 5)


def midday_zone(now: datetime) -> str:
    """A fixed-offset zone where it is about 12:00 at ``now`` (Etc/GMT-N is UTC+N)."""
    offset = 12 - now.hour
    offset = offset - 24 if offset > 14 else offset + 24 if offset < -12 else offset
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"


def profile(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "test",
        "agents": 4,
        "shift_hours": 1,
        "outcomes": {"human": 0.35, "machine": 0.1, "busy": 0.05, "failed": 0.02},
        "human_drift_to": None,
        "ring_s": {"mean": 8, "sd": 4},
        "talk_s": {"mean": 60, "sd": 30},
        "wrap_s": {"mean": 10, "sd": 5},
        "amd_s": 2.5,
        "max_ring_s": 25,
        "abandon_after_s": 2,
        "max_lines_per_agent": 3,
        "abandon_cap": 0.03,
    }
    base.update(overrides)
    return base


def seed_book(
    session: Session,
    *,
    leads: int,
    mode: CampaignMode,
    now: datetime,
    ring_timeout_s: int = 25,
    zone: str | None = None,
    expiry: date = EXPIRY,
) -> list[str]:
    """``leads`` due leads (every tenth customer in Urumqi, or all in ``zone``) and the running
    campaign ``q4``."""
    phones = []
    for i in range(leads):
        tz = zone or ("Asia/Urumqi" if i % 10 == 0 else "Asia/Shanghai")
        lead = f.lead(pol=f.policy(car=f.vehicle(owner=f.customer(timezone=tz)), end_date=expiry))
        f.add(session, lead)
        phones.append(lead.policy.vehicle.customer.phone)
    create_campaign(
        session,
        CampaignSpec(
            id="q4",
            name="四季度续保",
            mode=mode,
            queue="renewals",
            caller_ids=("02150001001", "02150001002"),
            ring_timeout_s=ring_timeout_s,
        ),
        now=now,
    )
    set_campaign_status(session, "q4", CampaignStatus.RUNNING, now=now)
    return phones


async def beating_console(desk: SeatDesk, clock: VirtualClock, agent: str) -> None:
    """An agent's console: logs in and beats every two seconds until cancelled."""
    await desk.login(agent)
    while True:
        await clock.sleep(2)
        desk.heard(agent)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--owner", required=True)
    parser.add_argument("--clock", choices=["virtual", "real"], default="virtual")
    parser.add_argument("--start", default=START.isoformat())
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--agents", type=int, default=4)
    parser.add_argument("--prefix", default="10")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--profile", required=True, help="a JSON profile file")
    parser.add_argument("--recordings", required=True)
    args = parser.parse_args()
    engine = create_db_engine(args.db)
    sessions = make_session_factory(engine)
    sim_profile = SimProfile.load(Path(args.profile))

    async def shift() -> None:
        clock = (
            VirtualClock(start=datetime.fromisoformat(args.start))
            if args.clock == "virtual"
            else SystemClock()
        )
        result = await run_shift(
            sessions=sessions,
            campaign_id="q4",
            profile=sim_profile,
            clock=clock,
            seed=args.seed,
            agents=args.agents,
            duration_s=args.seconds,
            rules=CadenceRules(),
            recordings_dir=Path(args.recordings),
            owner=args.owner,
            agent_prefix=args.prefix,
        )
        print(json.dumps({"calls_placed": result.calls_placed}), flush=True)

    if args.clock == "virtual":
        run_virtual(shift())
    else:
        asyncio.run(shift())
    engine.dispose()


if __name__ == "__main__":
    main()
