"""Report periods: local calendar days turned into UTC instants, and fixed-offset stretches.

Days are cut at midnight in the configured time zone. SQL cannot read a time-zone database the
same way on SQLite and PostgreSQL, so a period is split where the zone's UTC offset changes
(daylight saving) and each stretch is bucketed in SQL with its one fixed offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reports.errors import InvalidPeriod

__all__ = ["Period", "Stretch", "fixed_offset_stretches", "local_midnight"]


def local_midnight(day: date, zone: str) -> datetime:
    """The UTC instant at which ``day`` begins in ``zone``."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Period:
    """The local days ``first``..``last`` (both included) in ``zone``."""

    first: date
    last: date
    zone: str

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidPeriod(self.first.isoformat(), self.last.isoformat())

    @property
    def start(self) -> datetime:
        """The first instant of the period (UTC)."""
        return local_midnight(self.first, self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the period (UTC)."""
        return local_midnight(self.last + timedelta(days=1), self.zone)


@dataclass(frozen=True, slots=True)
class Stretch:
    """``[start, end)`` over which the zone's UTC offset is ``offset_s`` seconds."""

    start: datetime
    end: datetime
    offset_s: int


def _offset_s(at: datetime, zone: ZoneInfo) -> int:
    offset = at.astimezone(zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def fixed_offset_stretches(start: datetime, end: datetime, zone: str) -> Iterator[Stretch]:
    """Cut ``[start, end)`` where the offset of ``zone`` changes (found to the minute)."""
    tz = ZoneInfo(zone)
    cursor = start
    while cursor < end:
        offset = _offset_s(cursor, tz)
        step = cursor
        # Offsets change at most a few times a year: walk a day at a time, then narrow down.
        while step < end and _offset_s(step, tz) == offset:
            step += timedelta(days=1)
        if step >= end and _offset_s(end - timedelta(microseconds=1), tz) == offset:
            yield Stretch(cursor, end, offset)
            return
        low, high = step - timedelta(days=1), min(step, end)
        while high - low > timedelta(minutes=1):
            middle = low + (high - low) / 2
            if _offset_s(middle, tz) == offset:
                low = middle
            else:
                high = middle
        high = high.replace(second=0, microsecond=0)
        yield Stretch(cursor, high, offset)
        cursor = high
