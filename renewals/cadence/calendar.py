"""Local calendars: the customer's date and time, and calendar-month arithmetic."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["add_months", "local_time", "zone"]

D = TypeVar("D", bound=date)


@lru_cache(maxsize=256)
def zone(name: str, fallback: str = "Asia/Shanghai") -> ZoneInfo:
    """The zone called ``name``; an unknown or empty name falls back (bad data never crashes)."""
    try:
        return ZoneInfo(name) if name else ZoneInfo(fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def local_time(at: datetime, timezone: str, fallback: str = "Asia/Shanghai") -> datetime:
    """``at`` (aware) seen on the customer's wall clock."""
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: pass an aware time")
    return at.astimezone(zone(timezone, fallback))


def add_months(value: D, months: int) -> D:
    """``value`` moved by whole calendar months, clamped to the month end (31 Aug + 6 → 28 Feb)."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    return value.replace(
        year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1])
    )
