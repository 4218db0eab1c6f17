"""Helpers shared by the sub-commands: instants from the command line, money for people."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from renewals.clock import SystemClock

__all__ = ["parse_instant", "yuan"]


def parse_instant(text: str | None, timezone: str) -> datetime:
    """``--at`` as an aware instant; a time without offset is read in ``timezone``; none: now."""
    if not text:
        return SystemClock().now()
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value


def yuan(cents: int, *, sign: bool = False) -> str:
    """``123456`` → ``¥1,234.56`` (``+¥…``/``-¥…`` with ``sign``)."""
    prefix = (
        ("+" if cents > 0 else "-" if cents < 0 else "±") if sign else ("-" if cents < 0 else "")
    )
    whole, fen = divmod(abs(cents), 100)
    return f"{prefix}¥{whole:,}.{fen:02d}"
