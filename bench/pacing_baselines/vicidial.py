"""VICIdial's adaptive dial level (ADAPT_TAPERED), after the public description of
``bin/AST_VDadapt.pl`` ``calculate_dial_level`` summarised in pacing.md.

Choices where the description is silent (stated so results can be judged):
- the pacer is asked every second (``tick_s``); each call takes one sample of READY agents,
  LIVE waiting calls and working agents; the level is recalculated every ``cycle_s`` (15 s)
  from the last 15 samples;
- "calls" in the drop guards are live answers;
- TAPERED: the allowed drop share is twice the cap at the start of the shift and falls
  linearly to the cap at half-shift, then stays there; while today's drops exceed it (after
  50 answers) the level is scaled by allowed / actual.
"""

from __future__ import annotations

from collections import deque

from dialer.pacing import PacingSnapshot

__all__ = ["VicidialAdaptTapered"]


class VicidialAdaptTapered:
    name = "vicidial_adapt_tapered"

    def __init__(
        self,
        *,
        shift_s: float,
        tick_s: float = 1.0,
        cycle_s: float = 15.0,
        intensity: float = 0.0,
        max_level: float = 3.0,
        diff_target: float = 0.0,
    ) -> None:
        self._shift_s = shift_s
        self._tick_s = tick_s
        self._cycle_s = cycle_s
        self._intensity = intensity / 100.0
        self._max_level = max_level
        self._diff_target = diff_target
        self.level = 1.0
        self._t = 0.0
        self._next_cycle = cycle_s
        self._samples: deque[tuple[int, int, int]] = deque(maxlen=15)
        self._answers: deque[tuple[float, int, int]] = deque()  # (t, live answers, abandoned)

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        if snapshot.agents_logged_in == 0:
            return 0
        rolling = snapshot.rolling
        self._samples.append(
            (snapshot.ready_agents, len(snapshot.waiting_elapsed_s), snapshot.working_agents)
        )
        self._answers.append((self._t, rolling.live_answers, rolling.abandoned))
        while self._answers[0][0] < self._t - 60.0:
            self._answers.popleft()
        if self._t >= self._next_cycle:
            self._next_cycle += self._cycle_s
            self._recalculate(snapshot)
        self._t += self._tick_s
        active = snapshot.on_call + snapshot.ready_agents
        live = snapshot.in_flight + snapshot.on_call
        return max(0, round(self.level * active) - live)

    def _recalculate(self, snapshot: PacingSnapshot) -> None:
        n = len(self._samples)
        avg_ready = sum(s[0] for s in self._samples) / n
        avg_waiting = sum(s[1] for s in self._samples) / n
        avg_agents = max(1e-9, sum(s[2] for s in self._samples) / n)
        diff = avg_ready - avg_waiting + self._diff_target
        pct = 100.0 * diff / avg_agents
        pct *= abs(self._intensity - 1.0) if pct < 0 else (self._intensity + 1.0)
        level = self.level * (1.0 + pct / 100.0)
        level = min(self._max_level, max(1.0, level))
        level = self._drop_guards(level, snapshot)
        self.level = min(self._max_level, max(1.0, level))

    def _drop_guards(self, level: float, snapshot: PacingSnapshot) -> float:
        _, answers_then, drops_then = self._answers[0]
        rolling = snapshot.rolling
        minute_answers = rolling.live_answers - answers_then
        minute_drops = rolling.abandoned - drops_then
        if minute_answers > 20 and minute_drops > minute_answers / 2:
            level /= 2.0
        if rolling.live_answers >= 50 and rolling.abandoned:
            frac = min(1.0, self._t / self._shift_s)
            cap = snapshot.limits.abandon_cap
            allowed = cap * (1.0 + max(0.0, 1.0 - 2.0 * frac))
            if rolling.rate > allowed:
                level *= allowed / rolling.rate
        return level
