"""What a pacer sees: a small typed picture of one campaign at one instant.

The runtime (or the benchmark's simulated call model) builds a ``PacingSnapshot`` every tick;
a pacer turns it into a number of calls to place. Nothing here does I/O, so the same pacer code
runs in production and in the benchmark.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from dialer.pacing.errors import InvalidSnapshot

__all__ = [
    "AbandonWindow",
    "AgentPhase",
    "BusyAgent",
    "OutcomeStats",
    "PacingLimits",
    "PacingSnapshot",
    "Spread",
]


class AgentPhase(enum.Enum):
    """Why a logged-in agent cannot take a call right now (and will later, by itself)."""

    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"


@dataclass(frozen=True, slots=True, kw_only=True)
class BusyAgent:
    """An agent talking or wrapping up, and for how long so far (seconds)."""

    phase: AgentPhase
    elapsed_s: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Spread:
    """Mean and standard deviation of a duration, in seconds."""

    mean_s: float
    sd_s: float

    def __post_init__(self) -> None:
        if self.mean_s <= 0 or self.sd_s < 0:
            raise InvalidSnapshot("spread", f"mean {self.mean_s} sd {self.sd_s}")


@dataclass(frozen=True, slots=True, kw_only=True)
class OutcomeStats:
    """Recent call statistics the runtime measured (over its statistics window).

    Rates are shares of resolved attempts in the window: ``human_rate`` answered by a person,
    ``machine_rate`` by an answering machine, ``no_answer_rate`` rang out; the rest were busy or
    failed. ``ring`` is the time from dial to a live answer; ``talk`` and ``wrap`` are the
    agents' talk and wrap-up times.
    """

    attempts: int
    human_rate: float
    machine_rate: float
    no_answer_rate: float
    ring: Spread
    talk: Spread
    wrap: Spread

    def __post_init__(self) -> None:
        if self.attempts < 0:
            raise InvalidSnapshot("stats.attempts", "negative")
        rates = (self.human_rate, self.machine_rate, self.no_answer_rate)
        if min(rates) < 0 or sum(rates) > 1.0 + 1e-9:
            raise InvalidSnapshot("stats", f"rates {rates} are not shares")


@dataclass(frozen=True, slots=True, kw_only=True)
class AbandonWindow:
    """Live answers and abandoned calls counted over one window."""

    live_answers: int
    abandoned: int

    def __post_init__(self) -> None:
        if self.live_answers < 0 or not 0 <= self.abandoned <= self.live_answers:
            raise InvalidSnapshot("window", f"{self.abandoned} of {self.live_answers}")

    @property
    def rate(self) -> float:
        """Abandoned / live answers (0 when nothing was answered)."""
        return self.abandoned / self.live_answers if self.live_answers else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class PacingLimits:
    """The campaign's rules that bound pacing.

    ``abandon_cap`` is a share of live answers over the rolling window (0.03 = 3%);
    The short-window guard trips when the short window's rate exceeds ``short_window_factor``
    times the cap, checked only once it holds ``short_window_min_answers`` live answers.
    """

    max_lines_per_agent: float
    abandon_cap: float
    max_ring_s: float
    abandon_after_s: float = 2.0
    short_window_factor: float = 2.0
    short_window_min_answers: int = 20

    def __post_init__(self) -> None:
        if self.max_lines_per_agent < 1:
            raise InvalidSnapshot("limits.max_lines_per_agent", "below 1")
        if not 0 <= self.abandon_cap < 1:
            raise InvalidSnapshot("limits.abandon_cap", "not a share")
        if self.short_window_factor < 1:
            raise InvalidSnapshot("limits.short_window_factor", "below 1")
        if self.max_ring_s <= 0 or self.abandon_after_s < 0:
            raise InvalidSnapshot("limits", "times must be positive")

    @property
    def short_window_cap(self) -> float:
        """Abandon share over the short window above which the guard trips."""
        return self.short_window_factor * self.abandon_cap


@dataclass(frozen=True, slots=True, kw_only=True)
class PacingSnapshot:
    """One campaign at one instant.

    ``agents_logged_in`` counts every logged-in agent (ready, busy, paused or reserved);
    ``dialing_elapsed_s`` holds, per call not yet answered, the seconds since it was placed;
    ``waiting_elapsed_s`` per answered call still waiting for an agent, the seconds it has waited.
    ``rolling`` is the abandon cap's window (30 days), ``recent`` the short-window guard's.
    """

    agents_logged_in: int
    ready_agents: int
    busy_agents: tuple[BusyAgent, ...]
    dialing_elapsed_s: tuple[float, ...]
    waiting_elapsed_s: tuple[float, ...]
    stats: OutcomeStats
    rolling: AbandonWindow
    recent: AbandonWindow
    limits: PacingLimits

    def __post_init__(self) -> None:
        if self.ready_agents < 0 or self.agents_logged_in < 0:
            raise InvalidSnapshot("agents", "negative count")
        if self.ready_agents + len(self.busy_agents) > self.agents_logged_in:
            raise InvalidSnapshot("agents", "more ready and busy agents than logged in")

    @property
    def on_call(self) -> int:
        """Agents talking to a customer (each holds one line)."""
        return sum(1 for a in self.busy_agents if a.phase is AgentPhase.ON_CALL)

    @property
    def working_agents(self) -> int:
        """Agents who are ready or busy (paused and reserved ones take no dialed call)."""
        return self.ready_agents + len(self.busy_agents)

    @property
    def in_flight(self) -> int:
        """Calls placed and not yet with an agent: dialing plus answered-and-waiting."""
        return len(self.dialing_elapsed_s) + len(self.waiting_elapsed_s)

    def line_headroom(self) -> int:
        """New calls the lines-per-agent cap still allows (never negative).

        Lines in use are the calls dialing, answered calls waiting and calls with an agent.
        """
        allowed = int(self.limits.max_lines_per_agent * self.working_agents + 1e-9)
        return max(0, allowed - self.in_flight - self.on_call)
