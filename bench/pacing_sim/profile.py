"""A pacing benchmark profile (the JSON format of pacing.md), loaded and checked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Dist", "Profile", "ProfileError", "load_profile", "parse_profile"]


class ProfileError(ValueError):
    """The profile JSON is missing a field or holds an impossible value."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Dist:
    """A lognormal duration by mean and standard deviation (seconds)."""

    mean: float
    sd: float


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


def _dist(raw: dict[str, Any], key: str) -> Dist:
    d = _req(raw, key)
    try:
        dist = Dist(mean=float(d["mean"]), sd=float(d["sd"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"{key}: needs numeric mean and sd") from exc
    if dist.mean <= 0 or dist.sd < 0:
        raise ProfileError(f"{key}: mean must be > 0 and sd >= 0")
    return dist


def _req(raw: dict[str, Any], key: str) -> Any:
    if key not in raw:
        raise ProfileError(f"missing field {key!r}")
    return raw[key]


def parse_profile(raw: dict[str, Any]) -> Profile:
    """Build a profile from its JSON object; every field is required."""
    out = _req(raw, "outcomes")
    shares = {k: float(_req(out, k)) for k in ("human", "machine", "busy", "failed")}
    if min(shares.values()) < 0 or sum(shares.values()) > 1.0 + 1e-9:
        raise ProfileError("outcomes: shares must be >= 0 and sum to at most 1")
    drift = _req(raw, "human_drift_to")
    profile = Profile(
        name=str(_req(raw, "name")),
        agents=int(_req(raw, "agents")),
        shift_hours=float(_req(raw, "shift_hours")),
        **shares,
        human_drift_to=None if drift is None else float(drift),
        ring_s=_dist(raw, "ring_s"),
        talk_s=_dist(raw, "talk_s"),
        wrap_s=_dist(raw, "wrap_s"),
        amd_s=float(_req(raw, "amd_s")),
        max_ring_s=float(_req(raw, "max_ring_s")),
        abandon_after_s=float(_req(raw, "abandon_after_s")),
        max_lines_per_agent=float(_req(raw, "max_lines_per_agent")),
        abandon_cap=float(_req(raw, "abandon_cap")),
    )
    if profile.agents < 1 or profile.shift_hours <= 0 or profile.max_ring_s <= 0:
        raise ProfileError("agents, shift_hours and max_ring_s must be positive")
    room = 1.0 - profile.machine - profile.busy - profile.failed
    if profile.human_drift_to is not None and not 0 <= profile.human_drift_to <= room:
        raise ProfileError("human_drift_to must be a share that fits beside the other outcomes")
    return profile


def load_profile(path: Path) -> Profile:
    """Read and check a profile file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ProfileError(f"{path}: not a JSON object")
    return parse_profile(raw)
