"""A fresh benchmark database: a book of due leads and one running campaign built from a profile.

Rows go in with bulk inserts (explicit ids link them): the ORM unit of work would spend more
time seeding a large team's book than the shift itself takes to run.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from dialer.campaigns import CampaignSpec, create_campaign, set_campaign_status
from dialer.models import CampaignMode, CampaignStatus
from dialer.simulated import SimProfile
from renewals.models import Customer, Lead, LeadStage, LeadStatus, Policy, Vehicle

__all__ = ["CAMPAIGN_ID", "leads_needed", "seed_book"]

CAMPAIGN_ID = "bench"
# Policies expire this long after the shift starts: inside the first-call window of the
# default cadence (T-50 .. T-45), so every lead of the book is due from the first tick.
_EXPIRY_AFTER = timedelta(days=40)
# Headroom over the most calls the team could possibly need (every agent always busy).
_MARGIN = 3.0


def leads_needed(profile: SimProfile, *, hours: float) -> int:
    """Enough leads that the list never runs dry: each lead is counted as dialed once.

    With every agent busy all the time a team takes ``agents * hours * 3600 / (talk + wrap)``
    connects; at the lowest human share of the shift that many connects need that many more
    dials. Retried leads (busy, abandoned: 30 min later) only add slack.
    """
    human = profile.outcomes.human
    if profile.human_drift_to is not None:
        human = min(human, profile.human_drift_to)
    connects = profile.agents * hours * 3600.0 / (profile.talk_s.mean + profile.wrap_s.mean)
    lines = math.ceil(profile.agents * profile.max_lines_per_agent)
    return math.ceil(_MARGIN * connects / max(human, 0.05)) + lines


def _rows(count: int, *, now: datetime, expiry: date) -> dict[type, list[dict[str, object]]]:
    customers, vehicles, policies, leads = [], [], [], []
    for n in range(1, count + 1):
        customers.append(
            {
                "id": n,
                "name": f"客户{n}",
                "phone": f"139{n:08d}",
                "timezone": "Asia/Shanghai",
                "tenure_years": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        vehicles.append({"id": n, "customer_id": n, "plate": f"沪B{n:06d}", "seats": 5})
        policies.append(
            {
                "id": n,
                "vehicle_id": n,
                "insurer": "平安",
                "start_date": expiry - timedelta(days=364),
                "end_date": expiry,
                "commercial_premium_cents": 400_000,
                "compulsory_premium_cents": 95_000,
            }
        )
        leads.append(
            {
                "id": n,
                "policy_id": n,
                "stage": LeadStage.LISTED,
                "status": LeadStatus.OPEN,
                "created_at": now,
                "updated_at": now,
            }
        )
    return {Customer: customers, Vehicle: vehicles, Policy: policies, Lead: leads}


def seed_book(session: Session, *, profile: SimProfile, leads: int, now: datetime) -> None:
    """``leads`` due leads (Shanghai customers) and the running campaign ``CAMPAIGN_ID``.

    The campaign's ring timeout, abandon cap and lines cap are the profile's; the mode does not
    matter (the benchmark hands the runtime its pacer), predictive is the production one.
    """
    expiry = (now + _EXPIRY_AFTER).date()
    for model, rows in _rows(leads, now=now, expiry=expiry).items():
        session.execute(insert(model), rows)
    create_campaign(
        session,
        CampaignSpec(
            id=CAMPAIGN_ID,
            name="续保基准",
            mode=CampaignMode.PREDICTIVE,
            queue="bench",
            abandon_cap_pct=100.0 * profile.abandon_cap,
            max_lines_per_agent=profile.max_lines_per_agent,
            ring_timeout_s=math.ceil(profile.max_ring_s),
            # A campaign needs a caller ID to start; the cap is out of the bench's way.
            caller_ids=("02150009001",),
            caller_id_daily_cap=10_000_000,
        ),
        now=now,
    )
    set_campaign_status(session, CAMPAIGN_ID, CampaignStatus.RUNNING, now=now)
