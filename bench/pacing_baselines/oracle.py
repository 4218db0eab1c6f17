"""The oracle: the physical limit of pacing on a profile.

It reads the simulation's future: which attempts a person will answer and after how long,
and exactly when each busy agent frees up (talk and wrap-up are pre-drawn). For each agent
slot, in order, it dials the run of attempts up to the next live answer so that the answer
lands just before the agent frees (within the 2-second rule), so agents wait only for what
the lines cap forbids and no call is abandoned.
"""

from __future__ import annotations

from bench.pacing_sim.attempts import Outcome
from bench.pacing_sim.callmodel import ShiftSimulation
from dialer.pacing import PacingSnapshot

__all__ = ["OraclePacer"]

# A live answer may land at most this much under the 2-second rule before its agent frees.
_MARGIN_S = 0.1
_MAX_SCAN = 500


class OraclePacer:
    name = "oracle"

    def __init__(self) -> None:
        self._sim: ShiftSimulation | None = None

    def attach(self, simulation: ShiftSimulation) -> None:
        """Give the oracle its foresight (the benchmark does this before the shift starts)."""
        self._sim = simulation

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        sim = self._sim
        if sim is None or snapshot.agents_logged_in == 0:
            return 0
        now = sim.now_s
        slots = sim.agent_free_times()
        humans = sim.customers_coming()
        headroom = snapshot.line_headroom()
        placed, nxt = 0, sim.next_attempt
        for free_at in slots[humans:]:
            found = self._next_human(sim, nxt, now)
            if found is None:
                break
            index, ring = found
            if now + ring < free_at - (snapshot.limits.abandon_after_s - _MARGIN_S):
                break  # too early for this slot, so for every later one
            run = index - nxt + 1
            if placed + run > headroom:
                # Burn through the unanswered attempts ahead of it as far as lines allow.
                return headroom
            placed += run
            nxt = index + 1
        return placed

    @staticmethod
    def _next_human(sim: ShiftSimulation, start: int, now: float) -> tuple[int, float] | None:
        for index in range(start, start + _MAX_SCAN):
            fate = sim.book.resolve(index, placed_at_s=now)
            if fate.outcome is Outcome.HUMAN:
                return index, fate.after_s
        return None
