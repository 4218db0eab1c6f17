"""Building the pacer's picture of a campaign from seats, live calls and statistics."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from dialer.calls.ledger import CallLedger
from dialer.calls.states import CallState
from dialer.models import Campaign, SeatState
from dialer.pacing import AgentPhase, BusyAgent, PacingLimits, PacingSnapshot
from dialer.runtime.options import RuntimeOptions
from dialer.runtime.stats import CallStats
from dialer.seats import SeatView
from dialer.telephony.events import AnswerKind

__all__ = ["build_snapshot"]

_BUSY = {SeatState.ON_CALL: AgentPhase.ON_CALL, SeatState.WRAP_UP: AgentPhase.WRAP_UP}


def build_snapshot(
    *,
    campaign: Campaign,
    seats: Sequence[SeatView],
    ledger: CallLedger,
    stats: CallStats,
    options: RuntimeOptions,
    now: datetime,
) -> PacingSnapshot:
    busy = tuple(
        BusyAgent(phase=_BUSY[s.state], elapsed_s=max(0.0, (now - s.since).total_seconds()))
        for s in seats
        if s.state in _BUSY
    )
    dialing: list[float] = []
    waiting: list[float] = []
    for call in ledger.live():
        if call.state in (CallState.DIALING, CallState.RINGING):
            dialing.append(max(0.0, (now - call.dialed_at).total_seconds()))
        elif (
            call.state is CallState.ANSWERED
            and call.kind is not AnswerKind.MACHINE
            and call.answered_at is not None
        ):
            waiting.append(max(0.0, (now - call.answered_at).total_seconds()))
    return PacingSnapshot(
        agents_logged_in=len(seats),
        ready_agents=sum(1 for s in seats if s.state is SeatState.READY),
        busy_agents=busy,
        dialing_elapsed_s=tuple(dialing),
        waiting_elapsed_s=tuple(waiting),
        stats=stats.outcome_stats(
            ongoing_talk_s=[b.elapsed_s for b in busy if b.phase is AgentPhase.ON_CALL]
        ),
        rolling=stats.rolling,
        recent=stats.recent(now),
        limits=PacingLimits(
            max_lines_per_agent=campaign.max_lines_per_agent,
            abandon_cap=campaign.abandon_cap_pct / 100.0,
            max_ring_s=float(campaign.ring_timeout_s),
            abandon_after_s=options.abandon_after_s,
            short_window_factor=options.short_window_factor,
        ),
    )
