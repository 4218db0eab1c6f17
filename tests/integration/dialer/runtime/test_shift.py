"""A predictive campaign on the simulated network with agent bots, in virtual time.

Run on SQLite and PostgreSQL: every call placed ends with a stored outcome, no lead is on two
calls at once, no call goes outside calling hours or to a do-not-call number, the 2-second
rule holds, and agents' dispositions move the leads on.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config.shift import run_shift
from dialer.campaigns import CampaignSpec, create_campaign, set_campaign_status
from dialer.models import CampaignMode, CampaignStatus, SeatEvent
from dialer.simulated import SimProfile, VirtualClock, run_virtual
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt, Disposition, DncReason, DoNotCall, Lead
from reports.compliance import compliance_report
from tests import factories as f

# 10:00 in Shanghai on a weekday, 40 days before the book's expiry date.
START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
EXPIRY = date(2027, 1, 5)
PROFILE = {
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


def _book(session: Session, n: int) -> list[str]:
    phones = []
    for i in range(n):
        # Every tenth customer lives two hours behind Beijing time (10:00 there is 08:00).
        tz = "Asia/Urumqi" if i % 10 == 0 else "Asia/Shanghai"
        lead = f.lead(pol=f.policy(car=f.vehicle(owner=f.customer(timezone=tz)), end_date=EXPIRY))
        f.add(session, lead)
        phones.append(lead.policy.vehicle.customer.phone)
    return phones


def _run(sessions: sessionmaker[Session], tmp_path: Path, mode: CampaignMode, minutes: int) -> None:
    with sessions.begin() as s:
        phones = _book(s, 300)
        s.add(DoNotCall(phone=phones[1], reason=DncReason.OPT_OUT, created_at=START))
        create_campaign(
            s,
            CampaignSpec(
                id="q4",
                name="四季度续保",
                mode=mode,
                queue="renewals",
                caller_ids=("02150001001", "02150001002"),
            ),
            now=START,
        )
        set_campaign_status(s, "q4", CampaignStatus.RUNNING, now=START)
    profile_path = tmp_path / "profile.json"
    profile_path.write_text(json.dumps(PROFILE))

    async def main() -> None:
        await run_shift(
            sessions=sessions,
            campaign_id="q4",
            profile=SimProfile.load(profile_path),
            clock=VirtualClock(start=START),
            seed=3,
            agents=4,
            duration_s=minutes * 60,
            rules=CadenceRules(),
            recordings_dir=tmp_path / "rec",
        )

    run_virtual(main())


def test_predictive_shift_stores_every_outcome_and_obeys_the_rules(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _run(session_factory, tmp_path, CampaignMode.PREDICTIVE, minutes=45)
    with session_factory() as s:
        attempts = s.scalars(select(ContactAttempt).order_by(ContactAttempt.id)).all()
        assert len(attempts) > 100
        assert all(a.outcome is not None and a.ended_at is not None for a in attempts)
        # No lead was on two calls at once.
        by_lead: dict[int, list[ContactAttempt]] = {}
        for a in attempts:
            by_lead.setdefault(a.lead_id, []).append(a)
        for calls in by_lead.values():
            for earlier, later in pairwise(calls):
                assert earlier.ended_at is not None and earlier.ended_at <= later.started_at
        # The 2-second rule: a bridged customer never waited longer for an agent.
        for a in attempts:
            if a.outcome == "completed":
                assert a.answered_at is not None and a.bridged_at is not None
                assert (a.bridged_at - a.answered_at) <= timedelta(seconds=2)
        report = compliance_report(s, "q4", now=START + timedelta(hours=2))
        assert (
            report.outside_hours == [] and report.to_do_not_call == [] and report.short_ring == []
        )
        # Urumqi customers are only called from 09:00 their time (11:00 in Shanghai).
        assert report.rolling_live_answers > 20
        # Leases are all given back once the shift has ended.
        assert s.scalar(select(func.count()).where(Lead.lease_owner.is_not(None))) == 0
        dispositions = s.scalar(select(func.count()).select_from(Disposition))
        assert dispositions and dispositions > 10
        assert s.scalar(select(func.count()).select_from(SeatEvent)) > 20
        # Recordings of bridged calls are real files.
        recorded = [a.recording_path for a in attempts if a.recording_path]
        assert recorded and all((tmp_path / "rec" / p).stat().st_size > 44 for p in recorded)
