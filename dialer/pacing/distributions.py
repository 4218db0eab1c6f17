"""Lognormal durations by mean and spread, and the conditional forecasts pacing needs."""

from __future__ import annotations

import math
from statistics import NormalDist

from dialer.pacing.snapshot import Spread

__all__ = ["LogNormal", "normal_cdf"]

_SQRT2 = math.sqrt(2.0)
_STD = NormalDist()


def normal_cdf(z: float) -> float:
    """Standard normal distribution function."""
    return 0.5 * (1.0 + math.erf(z / _SQRT2))


class LogNormal:
    """A positive duration (seconds) with the given mean and standard deviation."""

    __slots__ = ("_mu", "_sigma", "mean_s")

    def __init__(self, *, spread: Spread) -> None:
        # Degenerate spreads (sd 0) become a very narrow lognormal, so every formula stays finite.
        ratio = max(spread.sd_s, 1e-3 * spread.mean_s) / spread.mean_s
        var = math.log1p(ratio * ratio)
        self._sigma = math.sqrt(var)
        self._mu = math.log(spread.mean_s) - var / 2.0
        self.mean_s = spread.mean_s

    def cdf(self, x: float) -> float:
        """P(duration <= x)."""
        if x <= 0.0:
            return 0.0
        return normal_cdf((math.log(x) - self._mu) / self._sigma)

    def ends_within(self, elapsed_s: float, horizon_s: float) -> float:
        """P(duration <= elapsed + horizon | duration > elapsed)."""
        if horizon_s <= 0.0:
            return 0.0
        start = self.cdf(elapsed_s)
        survive = 1.0 - start
        if survive < 1e-9:
            # Running far past every plausible end: treat the end as imminent.
            return 1.0
        return (self.cdf(elapsed_s + horizon_s) - start) / survive

    def quantiles(self, n: int) -> tuple[float, ...]:
        """``n`` equally weighted representative values (midpoint quantiles)."""
        return tuple(
            math.exp(self._mu + self._sigma * _STD.inv_cdf((i + 0.5) / n)) for i in range(n)
        )
