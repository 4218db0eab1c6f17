import pytest

from dialer.pacing import Spread
from dialer.pacing.distributions import LogNormal, normal_cdf


def test_normal_cdf_is_symmetric() -> None:
    assert normal_cdf(0.0) == pytest.approx(0.5)
    assert normal_cdf(1.96) == pytest.approx(0.975, abs=1e-3)


def test_lognormal_quantiles_average_to_about_the_mean() -> None:
    dist = LogNormal(spread=Spread(mean_s=120.0, sd_s=70.0))
    points = dist.quantiles(200)
    assert sum(points) / len(points) == pytest.approx(120.0, rel=0.03)
    assert list(points) == sorted(points)


def test_ends_within_is_a_probability_growing_with_the_horizon() -> None:
    dist = LogNormal(spread=Spread(mean_s=20.0, sd_s=10.0))
    near, far = dist.ends_within(10.0, 5.0), dist.ends_within(10.0, 30.0)
    assert 0.0 < near < far <= 1.0
    assert dist.ends_within(10.0, 0.0) == 0.0


def test_far_past_every_plausible_end_counts_as_ending_now() -> None:
    dist = LogNormal(spread=Spread(mean_s=20.0, sd_s=2.0))
    assert dist.ends_within(10_000.0, 1.0) == 1.0


def test_zero_spread_still_gives_finite_answers() -> None:
    dist = LogNormal(spread=Spread(mean_s=10.0, sd_s=0.0))
    assert dist.cdf(9.0) < 0.01 < 0.99 < dist.cdf(11.0)
