"""The simulation profile: the same JSON object as the pacing benchmark's (see pacing.md).

Outcome shares are of all dialed calls; the rest ring out unanswered. Times are lognormal by mean
and standard deviation, in seconds. Fields the simulated network does not use (``agents``,
``wrap_s``, ``max_lines_per_agent``, ``abandon_cap``) are kept so one file drives both.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dialer.simulated.errors import ProfileError

__all__ = ["Lognormal", "OutcomeShares", "SimProfile"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Lognormal:
    """A positive duration in seconds, lognormal with this mean and standard deviation."""

    mean: float
    sd: float

    def __post_init__(self) -> None:
        if not (self.mean > 0 and self.sd >= 0):
            raise ProfileError(f"need mean > 0 and sd >= 0, got {self.mean}, {self.sd}")

    def sample(self, rng: random.Random) -> float:
        if self.sd == 0:
            return self.mean
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        return rng.lognormvariate(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2))


@dataclass(frozen=True, slots=True, kw_only=True)
class OutcomeShares:
    """Shares of all dialed calls (0..1); ``no_answer`` is what remains."""

    human: float
    machine: float
    busy: float
    failed: float

    def __post_init__(self) -> None:
        shares = (self.human, self.machine, self.busy, self.failed)
        if any(s < 0 for s in shares) or sum(shares) > 1 + 1e-9:
            raise ProfileError(f"shares must be >= 0 and sum to <= 1, got {shares}")

    @property
    def no_answer(self) -> float:
        return max(0.0, 1.0 - self.human - self.machine - self.busy - self.failed)


@dataclass(frozen=True, slots=True, kw_only=True)
class SimProfile:
    """One campaign's population of customers and timings; see ``pacing.md`` for each field."""

    name: str
    outcomes: OutcomeShares
    ring_s: Lognormal
    talk_s: Lognormal
    wrap_s: Lognormal
    amd_s: float
    max_ring_s: float
    agents: int = 0
    shift_hours: float = 8.0
    human_drift_to: float | None = None
    abandon_after_s: float = 2.0
    max_lines_per_agent: float = 3.0
    abandon_cap: float = 0.03
    # Not in pacing.md: the seconds from originate to the first network answer (ringing, busy
    # or a failure); Asterisk reports these within milliseconds (fixture 03), real trunks later.
    setup_s: float = 0.5
    # Not in pacing.md: the share of customers left without an agent who press 9 during the
    # safe message to be called no more (the dialplan's XubaoOptOut; issue 9, item 4).
    opt_out_share: float = 0.0
    # Not in pacing.md: the share of people who answer and hang up at once, inside the connect
    # limit (issue 9, item 7: not an abandon by the dialer).
    hang_up_at_once_share: float = 0.0

    def __post_init__(self) -> None:
        for name in ("amd_s", "max_ring_s", "abandon_after_s", "setup_s", "shift_hours"):
            if not getattr(self, name) >= 0:
                raise ProfileError("must be >= 0", field=name)
        for share in ("opt_out_share", "hang_up_at_once_share"):
            if not 0 <= getattr(self, share) <= 1:
                raise ProfileError("must be a share between 0 and 1", field=share)
        drift = self.human_drift_to
        if drift is not None and not 0 <= drift <= self.outcomes.human + self.outcomes.no_answer:
            raise ProfileError("must fit in the human + no-answer share", field="human_drift_to")

    def human_share_at(self, elapsed_s: float) -> float:
        """The human share ``elapsed_s`` seconds into the shift (drifting linearly if asked)."""
        if self.human_drift_to is None or self.shift_hours == 0:
            return self.outcomes.human
        fraction = min(1.0, max(0.0, elapsed_s / (self.shift_hours * 3600)))
        return self.outcomes.human + (self.human_drift_to - self.outcomes.human) * fraction

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SimProfile:
        """Build from a decoded JSON object; ``ProfileError`` names the bad or missing field."""
        try:
            fields = dict(data)
            fields["outcomes"] = OutcomeShares(**fields["outcomes"])
            for name in ("ring_s", "talk_s", "wrap_s"):
                fields[name] = Lognormal(**fields[name])
            return cls(**fields)
        except KeyError as missing:
            raise ProfileError("missing", field=str(missing.args[0])) from None
        except TypeError as wrong:
            raise ProfileError(str(wrong)) from None

    @classmethod
    def from_json(cls, text: str) -> SimProfile:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as bad:
            raise ProfileError(f"not JSON: {bad}") from None
        if not isinstance(data, dict):
            raise ProfileError("a profile is a JSON object")
        return cls.from_mapping(data)

    @classmethod
    def load(cls, path: Path) -> SimProfile:
        return cls.from_json(path.read_text(encoding="utf-8"))
