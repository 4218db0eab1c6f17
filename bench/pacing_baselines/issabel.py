"""Issabel's Erlang-style predictor, after the public description of ``Predictor.class.php``
summarised in pacing.md.

calls = (free agents + agents about to free - waiting callers) / answer rate - pending calls,
where an agent on a call is "about to free" when
``1 - exp(-(talk elapsed + mean ring) / mean talk) >= 0.97``, the answer rate is that of the
last 30 minutes (floor 0.20), and before 10 completed calls it dials one call per free agent.
Reading of the description: pending originations are subtracted after scaling by the answer
rate (they are calls, not expected answers). Agents in wrap-up are neither free nor about to free.
"""

from __future__ import annotations

import math

from dialer.pacing import AgentPhase, PacingSnapshot

__all__ = ["IssabelPacer"]


class IssabelPacer:
    name = "issabel"

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        if snapshot.agents_logged_in == 0:
            return 0
        pending = len(snapshot.dialing_elapsed_s)
        waiting = len(snapshot.waiting_elapsed_s)
        completed = snapshot.rolling.live_answers - snapshot.rolling.abandoned
        if completed < 10:
            return max(0, snapshot.ready_agents - pending - waiting)
        stats = snapshot.stats
        about = sum(
            1
            for a in snapshot.busy_agents
            if a.phase is AgentPhase.ON_CALL
            and 1.0 - math.exp(-(a.elapsed_s + stats.ring.mean_s) / stats.talk.mean_s) >= 0.97
        )
        rate = max(0.20, stats.human_rate)
        wanted = (snapshot.ready_agents + about - waiting) / rate - pending
        return max(0, round(wanted))
