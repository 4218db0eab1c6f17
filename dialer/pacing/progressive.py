"""Progressive (power) mode: one call per ready agent, so an answer always finds an agent."""

from __future__ import annotations

from dialer.pacing.snapshot import PacingSnapshot

__all__ = ["ProgressivePacer", "progressive_count"]


def progressive_count(snapshot: PacingSnapshot) -> int:
    """Ready agents not yet covered by a call in flight, within the lines cap.

    Every call in flight (dialing or answered and waiting) is already "owned" by one ready
    agent, so no answer can arrive without an agent for it: progressive never abandons.
    """
    if snapshot.agents_logged_in == 0:
        return 0
    uncovered = snapshot.ready_agents - snapshot.in_flight
    return max(0, min(uncovered, snapshot.line_headroom()))


class ProgressivePacer:
    """One call per ready agent, minus the calls already in flight."""

    name = "progressive"

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        return progressive_count(snapshot)
