"""One pacer, one shift, through the production runtime on the simulated network.

Each run gets its own SQLite database in a temporary directory, a book of due leads sized so
the list never runs dry, and the campaign settings of the profile; ``config.shift.run_shift``
composes the runtime, seat desk, simulated network and agent bots on it, in virtual time.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.pacing_rt.metrics import abandoned_before, shift_result, untouched_leads
from bench.pacing_rt.seed import CAMPAIGN_ID, leads_needed, seed_book
from bench.pacing_sim.callmodel import ShiftResult
from config.db import create_db_engine, make_session_factory
from config.shift import run_shift
from dialer.pacing import Pacer, PacingSnapshot
from dialer.runtime import RuntimeOptions
from dialer.simulated import SimProfile, VirtualClock, run_virtual
from migrations.metadata import target_metadata
from renewals.cadence.rules import CadenceRules

__all__ = ["LineCapped", "RuntimeRun", "run_runtime_shift"]

# 09:00 in Shanghai: the whole shift (up to 12 h) lies inside the default calling hours.
START = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
# The runtime's statistics start empty: abandons this early in the shift are start-up ones.
EARLY = timedelta(minutes=10)


class LineCapped:
    """Clamps a pacer's count to the campaign's lines cap, as the DES engine does.

    The ``Pacer`` contract says the count is already within the campaign's rules and
    ``CampaignRuntime.tick`` places whatever its pacer asks. Our pacers clamp themselves; the
    baselines (Issabel divides by the answer rate) do not, and would exceed the cap.
    """

    def __init__(self, *, inner: Pacer) -> None:
        self._inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        return max(0, min(self._inner.calls_to_place(snapshot), snapshot.line_headroom()))


@dataclass(frozen=True, slots=True, kw_only=True)
class RuntimeRun:
    """One pacer's shift: the figures, how many leads were seeded and never dialed, the abandons
    of the first ``EARLY`` minutes, wall time."""

    result: ShiftResult
    leads: int
    untouched_leads: int
    early_abandoned: int
    wall_s: float


def run_runtime_shift(
    profile: SimProfile, *, pacer: Pacer, seed: int, hours: float, workdir: Path | None = None
) -> RuntimeRun:
    """Run ``pacer`` for ``hours`` of virtual time on a fresh database; figures from the DB."""
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pacing-rt-", dir=workdir) as tmp:
        engine = create_db_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            target_metadata.create_all(engine)
            sessions = make_session_factory(engine)
            leads = leads_needed(profile, hours=hours)
            with sessions.begin() as session:
                seed_book(session, profile=profile, leads=leads, now=START)
            options = RuntimeOptions(
                abandon_after_s=profile.abandon_after_s,
                record_calls=False,  # recordings cost wall time and measure nothing here
            )
            run_virtual(
                run_shift(
                    sessions=sessions,
                    campaign_id=CAMPAIGN_ID,
                    profile=profile,
                    clock=VirtualClock(start=START),
                    seed=seed,
                    agents=profile.agents,
                    duration_s=hours * 3600.0,
                    rules=CadenceRules(),
                    recordings_dir=Path(tmp) / "rec",
                    options=options,
                    pacer=LineCapped(inner=pacer),
                )
            )
            end = START + timedelta(hours=hours)
            with sessions() as session:
                result = shift_result(
                    session,
                    campaign_id=CAMPAIGN_ID,
                    start=START,
                    end=end,
                    agents=profile.agents,
                )
                left = untouched_leads(session)
                early = abandoned_before(session, campaign_id=CAMPAIGN_ID, until=START + EARLY)
        finally:
            engine.dispose()
    return RuntimeRun(
        result=result,
        leads=leads,
        untouched_leads=left,
        early_abandoned=early,
        wall_s=time.perf_counter() - began,
    )


def with_hours(profile: SimProfile, hours: float) -> SimProfile:
    """The profile over a shift of ``hours`` (a drifting human share drifts over those hours)."""
    return replace(profile, shift_hours=hours)
