"""Helpers shared by the sub-commands: argument types, instants, the campaign a runtime dials."""

from __future__ import annotations

import argparse
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from config.errors import CampaignNotRunning
from dialer.errors import CampaignError
from dialer.models import Campaign, CampaignStatus
from renewals.clock import SystemClock
from renewals.importer.parsers import BadValue, parse_plate

__all__ = [
    "iso_time",
    "local",
    "non_negative_int",
    "parse_instant",
    "plate",
    "require_running",
    "yuan",
]


def iso_time(text: str) -> str:
    """An ``--at`` value: checked here so a bad one is a usage error naming the argument."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO time: use e.g. 2026-05-01T10:00 or 2026-05-01T10:00+08:00"
        ) from None
    return text


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return value


def plate(text: str) -> str:
    """A plate as the importer stores it: full-width and lower-case letters, dots and spaces."""
    try:
        return parse_plate(text)
    except BadValue as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None


def parse_instant(text: str | None, timezone: str) -> datetime:
    """``--at`` as an aware instant; a time without offset is read in ``timezone``; none: now."""
    if not text:
        return SystemClock().now()
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value


def local(at: datetime, timezone: str) -> datetime:
    """``at`` as people of the configured time zone read it (every time the CLI shows)."""
    return at.astimezone(ZoneInfo(timezone))


def require_running(sessions: sessionmaker[Session], campaign_id: str) -> None:
    """A runtime dials running campaigns only: anything else is refused, saying its status."""
    with sessions() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise CampaignError(
                campaign_id, "no such campaign: create it with `xubao campaign create`"
            )
        if campaign.status != CampaignStatus.RUNNING:
            raise CampaignNotRunning(campaign_id, campaign.status.value)


def yuan(cents: int, *, sign: bool = False) -> str:
    """``123456`` → ``¥1,234.56`` (``+¥…``/``-¥…`` with ``sign``)."""
    prefix = (
        ("+" if cents > 0 else "-" if cents < 0 else "±") if sign else ("-" if cents < 0 else "")
    )
    whole, fen = divmod(abs(cents), 100)
    return f"{prefix}¥{whole:,}.{fen:02d}"
