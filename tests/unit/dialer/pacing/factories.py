"""Snapshot builders for the pacing tests: a plausible campaign, override what the case needs."""

from __future__ import annotations

from typing import Any

from dialer.pacing import (
    AbandonWindow,
    AgentPhase,
    BusyAgent,
    OutcomeStats,
    PacingLimits,
    PacingSnapshot,
    Spread,
)


def stats(**overrides: Any) -> OutcomeStats:
    values: dict[str, Any] = {
        "attempts": 500,
        "human_rate": 0.2,
        "machine_rate": 0.1,
        "no_answer_rate": 0.63,
        "ring": Spread(mean_s=9.0, sd_s=5.0),
        "talk": Spread(mean_s=120.0, sd_s=70.0),
        "wrap": Spread(mean_s=20.0, sd_s=10.0),
    }
    values.update(overrides)
    return OutcomeStats(**values)


def limits(**overrides: Any) -> PacingLimits:
    values: dict[str, Any] = {"max_lines_per_agent": 3.0, "abandon_cap": 0.03, "max_ring_s": 25.0}
    values.update(overrides)
    return PacingLimits(**values)


def on_call(*elapsed: float) -> tuple[BusyAgent, ...]:
    return tuple(BusyAgent(phase=AgentPhase.ON_CALL, elapsed_s=e) for e in elapsed)


def wrapping(*elapsed: float) -> tuple[BusyAgent, ...]:
    return tuple(BusyAgent(phase=AgentPhase.WRAP_UP, elapsed_s=e) for e in elapsed)


def snapshot(**overrides: Any) -> PacingSnapshot:
    """Ten agents all on calls, nothing in flight, a clean abandon record, enough data."""
    values: dict[str, Any] = {
        "agents_logged_in": 10,
        "ready_agents": 0,
        "busy_agents": on_call(*([30.0] * 10)),
        "dialing_elapsed_s": (),
        "waiting_elapsed_s": (),
        "stats": stats(),
        "rolling": AbandonWindow(live_answers=1000, abandoned=20),
        "recent": AbandonWindow(live_answers=60, abandoned=1),
        "limits": limits(),
    }
    values.update(overrides)
    return PacingSnapshot(**values)
