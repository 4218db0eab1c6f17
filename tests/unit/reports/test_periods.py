"""Local days to UTC instants, and the stretches of one UTC offset (daylight saving)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from reports.errors import InvalidPeriod
from reports.periods import Period, Stretch, fixed_offset_stretches


def test_a_beijing_day_is_16_00_to_16_00_utc() -> None:
    day = Period(date(2026, 12, 1), date(2026, 12, 1), "Asia/Shanghai")
    assert day.start == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert day.end == datetime(2026, 12, 1, 16, tzinfo=UTC)


def test_a_period_may_not_end_before_it_begins() -> None:
    with pytest.raises(InvalidPeriod, match="2026-11-30"):
        Period(date(2026, 12, 1), date(2026, 11, 30), "Asia/Shanghai")


def test_beijing_has_one_offset() -> None:
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    assert list(fixed_offset_stretches(start, end, "Asia/Shanghai")) == [
        Stretch(start, end, 8 * 3600)
    ]


def test_new_york_is_cut_where_daylight_saving_starts_and_ends() -> None:
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    # 2026: DST from 8 March 07:00 UTC (02:00 EST) to 1 November 06:00 UTC (02:00 EDT).
    spring, autumn = datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC)
    assert list(fixed_offset_stretches(start, end, "America/New_York")) == [
        Stretch(start, spring, -5 * 3600),
        Stretch(spring, autumn, -4 * 3600),
        Stretch(autumn, end, -5 * 3600),
    ]
