"""A predictive campaign on the simulated network with agent bots, in virtual time.

Run on SQLite and PostgreSQL: every call placed ends with a stored outcome, no lead is on two
calls at once, no call goes outside calling hours or to a do-not-call number, the 2-second
rule holds, and agents' dispositions move the leads on.
"""

from __future__ import annotations

import json
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config.shift import run_shift
from dialer.models import CampaignMode, Seat, SeatEvent, SeatState
from dialer.simulated import SimProfile, VirtualClock, run_virtual
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt, Disposition, DncReason, DoNotCall, Lead
from reports.compliance import compliance_report
from tests.integration.dialer.runtime.campaign_process import START, profile, seed_book


def _run(sessions: sessionmaker[Session], tmp_path: Path, mode: CampaignMode, minutes: int) -> None:
    with sessions.begin() as s:
        phones = seed_book(s, leads=300, mode=mode, now=START)
        s.add(DoNotCall(phone=phones[1], reason=DncReason.OPT_OUT, created_at=START))
    profile_path = tmp_path / "profile.json"
    profile_path.write_text(json.dumps(profile()))

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
        # The bots left their seats at the end: none is left for the next process to lapse.
        assert s.scalars(select(Seat.state)).all() and set(s.scalars(select(Seat.state))) == {
            SeatState.LOGGED_OUT
        }
        # Recordings of bridged calls are real files.
        recorded = [a.recording_path for a in attempts if a.recording_path]
        assert recorded and all((tmp_path / "rec" / p).stat().st_size > 44 for p in recorded)
