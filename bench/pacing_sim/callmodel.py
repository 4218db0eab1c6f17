"""The simulated shift: calls, agents and the 2-second rule, in simulated time.

This module is the seam the lead can later swap for the real runtime on the simulated network:
the pacer only ever sees a ``PacingSnapshot`` built from what a runtime can observe, and
returns a count. Events run in continuous simulated time; the pacer is asked every ``tick_s``.
"""

from __future__ import annotations

import enum
import heapq
from collections import deque
from dataclasses import dataclass
from typing import Any

from bench.pacing_sim.attempts import AttemptBook, Outcome
from bench.pacing_sim.profile import Profile
from bench.pacing_sim.stats import RuntimeStats
from dialer.pacing import AgentPhase, BusyAgent, Pacer, PacingLimits, PacingSnapshot

__all__ = ["ShiftResult", "ShiftSimulation"]

# Event kinds; at equal times agents free up and calls resolve before the pacer's tick.
_WRAP_END, _TALK_END, _RESOLVE, _ABANDON, _TICK = range(5)


class _State(enum.Enum):
    READY = "ready"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"


@dataclass(slots=True)
class _Agent:
    state: _State
    since_s: float
    free_at_s: float  # exact end of the current wrap-up; only the oracle may read it


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftResult:
    """What one pacer achieved over one shift."""

    utilisation: float
    abandon_rate: float
    mean_wait_s: float
    calls_placed: int
    live_answers: int
    abandoned: int
    connects_per_agent_hour: float


class ShiftSimulation:
    """One shift of one profile, driven by one pacer."""

    def __init__(
        self, *, profile: Profile, book: AttemptBook, pacer: Pacer, tick_s: float = 1.0
    ) -> None:
        self.profile = profile
        self.book = book
        self._pacer = pacer
        self._tick_s = tick_s
        self._limits = PacingLimits(
            max_lines_per_agent=profile.max_lines_per_agent,
            abandon_cap=profile.abandon_cap,
            max_ring_s=profile.max_ring_s,
            abandon_after_s=profile.abandon_after_s,
        )
        self.now_s = 0.0
        self.agents = [_Agent(_State.READY, 0.0, 0.0) for _ in range(profile.agents)]
        self._ready: deque[int] = deque(range(profile.agents))
        # call index -> (placed at, outcome, resolves at); outcome is for the oracle only.
        self.dialing: dict[int, tuple[float, Outcome, float]] = {}
        self.waiting: dict[int, float] = {}  # call index -> answered at
        self.next_attempt = 0
        self.stats = RuntimeStats()
        self._events: list[tuple[float, int, int, Any]] = []
        self._seq = 0
        self._busy_s = 0.0
        self._waits_s = 0.0
        self._connects = 0

    def run(self) -> ShiftResult:
        end = self.profile.shift_s
        self._push(0.0, _TICK, None)
        while self._events and self._events[0][0] <= end:
            t, kind, _, payload = heapq.heappop(self._events)
            self.now_s = t
            self._dispatch(kind, payload)
        return self._result()

    def snapshot(self) -> PacingSnapshot:
        """What a runtime would hand its pacer right now."""
        now = self.now_s
        busy = tuple(
            BusyAgent(
                phase=AgentPhase.ON_CALL if a.state is _State.ON_CALL else AgentPhase.WRAP_UP,
                elapsed_s=now - a.since_s,
            )
            for a in self.agents
            if a.state is not _State.READY
        )
        return PacingSnapshot(
            agents_logged_in=len(self.agents),
            ready_agents=len(self._ready),
            busy_agents=busy,
            dialing_elapsed_s=tuple(now - placed for placed, _, _ in self.dialing.values()),
            waiting_elapsed_s=tuple(now - at for at in self.waiting.values()),
            stats=self.stats.outcome_stats(now),
            rolling=self.stats.rolling(),
            recent=self.stats.recent(now),
            limits=self._limits,
        )

    # Foresight, for the oracle only: what no runtime can know.
    def agent_free_times(self) -> list[float]:
        """When each agent can next take a call (now for ready agents), sorted."""
        now = self.now_s
        return sorted(now if a.state is _State.READY else a.free_at_s for a in self.agents)

    def customers_coming(self) -> int:
        """Customers waiting plus calls in flight that a person will answer."""
        ringing = sum(1 for _, outcome, _ in self.dialing.values() if outcome is Outcome.HUMAN)
        return len(self.waiting) + ringing

    def _push(self, at_s: float, kind: int, payload: Any) -> None:
        self._seq += 1
        heapq.heappush(self._events, (at_s, kind, self._seq, payload))

    def _dispatch(self, kind: int, payload: Any) -> None:
        if kind == _TICK:
            self._tick()
        elif kind == _RESOLVE:
            self._resolve(payload)
        elif kind == _TALK_END:
            self._talk_end(payload)
        elif kind == _WRAP_END:
            self._wrap_end(payload)
        else:
            self._abandon_check(payload)

    def _tick(self) -> None:
        snap = self.snapshot()
        wanted = self._pacer.calls_to_place(snap)
        # The runtime enforces the lines-per-agent cap whatever the pacer asks for.
        for _ in range(max(0, min(wanted, snap.line_headroom()))):
            self._place()
        self._push(self.now_s + self._tick_s, _TICK, None)

    def _place(self) -> None:
        index = self.next_attempt
        self.next_attempt += 1
        fate = self.book.resolve(index, placed_at_s=self.now_s)
        at = self.now_s + fate.after_s
        self.dialing[index] = (self.now_s, fate.outcome, at)
        self._push(at, _RESOLVE, index)

    def _resolve(self, index: int) -> None:
        placed, outcome, _ = self.dialing.pop(index)
        self.stats.resolved(self.now_s, outcome)
        if outcome is not Outcome.HUMAN:
            return
        self.stats.sample("ring", self.now_s - placed)
        if self._ready:
            self._connect(self._ready.popleft(), index)
        else:
            self.waiting[index] = self.now_s
            self._push(self.now_s + self.profile.abandon_after_s, _ABANDON, index)

    def _connect(self, agent_id: int, index: int) -> None:
        agent, attempt, now = self.agents[agent_id], self.book.get(index), self.now_s
        self._waits_s += now - agent.since_s
        self._connects += 1
        self.stats.answered(now, abandoned=False)
        agent.state, agent.since_s = _State.ON_CALL, now
        agent.free_at_s = now + attempt.talk_s + attempt.wrap_s
        self._busy_s += min(agent.free_at_s, self.profile.shift_s) - now
        self._push(now + attempt.talk_s, _TALK_END, (agent_id, index))

    def _talk_end(self, payload: tuple[int, int]) -> None:
        agent_id, index = payload
        agent, attempt = self.agents[agent_id], self.book.get(index)
        self.stats.sample("talk", attempt.talk_s)
        agent.state, agent.since_s = _State.WRAP_UP, self.now_s
        self._push(self.now_s + attempt.wrap_s, _WRAP_END, (agent_id, index))

    def _wrap_end(self, payload: tuple[int, int]) -> None:
        agent_id, index = payload
        agent = self.agents[agent_id]
        self.stats.sample("wrap", self.book.get(index).wrap_s)
        agent.state, agent.since_s = _State.READY, self.now_s
        if self.waiting:
            oldest = next(iter(self.waiting))
            del self.waiting[oldest]
            self._connect(agent_id, oldest)
        else:
            self._ready.append(agent_id)

    def _abandon_check(self, index: int) -> None:
        if self.waiting.pop(index, None) is not None:
            # No agent within the 2-second rule: the safe message plays, the call counts.
            self.stats.answered(self.now_s, abandoned=True)

    def _result(self) -> ShiftResult:
        p, stats = self.profile, self.stats
        agent_hours = p.agents * p.shift_hours
        return ShiftResult(
            utilisation=self._busy_s / (p.agents * p.shift_s),
            mean_wait_s=self._waits_s / self._connects if self._connects else 0.0,
            abandon_rate=stats.abandoned / stats.live_answers if stats.live_answers else 0.0,
            calls_placed=self.next_attempt,
            live_answers=stats.live_answers,
            abandoned=stats.abandoned,
            connects_per_agent_hour=self._connects / agent_hours,
        )
