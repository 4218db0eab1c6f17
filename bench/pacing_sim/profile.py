"""A pacing benchmark profile (the JSON format of pacing.md), loaded and checked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dialer.simulated.errors import ProfileError
from dialer.simulated.profile import Lognormal, SimProfile

__all__ = ["Dist", "Profile", "ProfileError", "load_profile", "parse_profile"]


# A lognormal duration by mean and standard deviation (seconds).
Dist = Lognormal


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    name: str
    agents: int
    shift_hours: float
    human: float
    machine: float
    busy: float
    failed: float
    human_drift_to: float | None
    ring_s: Dist
    talk_s: Dist
    wrap_s: Dist
    amd_s: float
    max_ring_s: float
    abandon_after_s: float
    max_lines_per_agent: float
    abandon_cap: float

    @property
    def shift_s(self) -> float:
        return self.shift_hours * 3600.0

    def human_share(self, at_s: float) -> float:
        """Share of dialed calls a person answers at this point of the shift (linear drift)."""
        if self.human_drift_to is None:
            return self.human
        frac = min(1.0, max(0.0, at_s / self.shift_s))
        return self.human + (self.human_drift_to - self.human) * frac


_REQUIRED = (
    "name", "agents", "shift_hours", "outcomes", "human_drift_to", "ring_s", "talk_s", "wrap_s",
    "amd_s", "max_ring_s", "abandon_after_s", "max_lines_per_agent", "abandon_cap",
)  # fmt: skip


def parse_profile(raw: dict[str, Any]) -> Profile:
    """Build a profile from its JSON object; every field is required (pacing.md).

    The fields are read and checked by the simulated network's own profile, the one format both
    the production simulator and this benchmark run on; this is the benchmark's flat view of it.
    """
    for key in _REQUIRED:
        if key not in raw:
            raise ProfileError(f"missing field {key!r}")
    sim = SimProfile.from_mapping(raw)
    if sim.agents < 1 or sim.shift_hours <= 0 or sim.max_ring_s <= 0:
        raise ProfileError("agents, shift_hours and max_ring_s must be positive")
    out = sim.outcomes
    return Profile(
        name=sim.name,
        agents=sim.agents,
        shift_hours=sim.shift_hours,
        human=out.human,
        machine=out.machine,
        busy=out.busy,
        failed=out.failed,
        human_drift_to=sim.human_drift_to,
        ring_s=sim.ring_s,
        talk_s=sim.talk_s,
        wrap_s=sim.wrap_s,
        amd_s=sim.amd_s,
        max_ring_s=sim.max_ring_s,
        abandon_after_s=sim.abandon_after_s,
        max_lines_per_agent=sim.max_lines_per_agent,
        abandon_cap=sim.abandon_cap,
    )


def load_profile(path: Path) -> Profile:
    """Read and check a profile file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ProfileError(f"{path}: not a JSON object")
    return parse_profile(raw)
