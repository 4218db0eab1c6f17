"""The reports' tables: which team each agent was in and when, and the daily seat rollups.

On the renewals metadata, so one Alembic history covers the whole schema. Periods are UTC
instants (``ends_at`` null: still in the team); the command line gives local dates and stores
their midnights, so a change of team cuts the agent's figures at that midnight.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dialer.models import SeatEvent
from renewals.models import Base, ContactAttempt, Disposition, Quote
from renewals.sqltypes import UtcDateTime

__all__ = [
    "REPORT_INDEXES",
    "AgentTeam",
    "ComplianceDay",
    "ComplianceDayCall",
    "RolledDay",
    "SeatDayTotal",
]


class AgentTeam(Base):
    """An agent's membership of one team over ``[starts_at, ends_at)``; null bounds are open."""

    __tablename__ = "agent_teams"
    __table_args__ = (Index("ix_agent_teams_agent_starts", "agent_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(40))
    team: Mapped[str] = mapped_column(String(40), index=True)
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


# Indexes the reports need on other parts' tables, declared here so their owners' models stay
# as they are; each serves a range filter on its own instant column.
REPORT_INDEXES = (
    Index("ix_seat_events_at", SeatEvent.at),
    Index("ix_contact_attempts_bridged_at", ContactAttempt.bridged_at),
    # A quote is put down to the lead's latest answered call before it: one probe per quote.
    Index("ix_contact_attempts_lead_bridged", ContactAttempt.lead_id, ContactAttempt.bridged_at),
    Index(
        "ix_contact_attempts_campaign_started",
        ContactAttempt.campaign_id,
        ContactAttempt.started_at,
    ),
    Index("ix_dispositions_at", Disposition.at),
    Index("ix_quotes_created_at", Quote.created_at),
)


class RolledDay(Base):
    """A local day (in ``zone``) whose seat figures are summed up in ``seat_day_totals``.

    Written once the day is over (and a grace period has passed), never changed afterwards
    except by a change of team dated in the past, which deletes the days from then on.
    """

    __tablename__ = "rolled_days"

    zone: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    rolled_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SeatDayTotal(Base):
    """One agent's figures of one closed local day in one team: seconds and calls offered per
    seat state (and pause reason), or (``state`` empty) quotes, wins, premium and gifts."""

    __tablename__ = "seat_day_totals"

    zone: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team: Mapped[str] = mapped_column(String(40), primary_key=True)
    state: Mapped[str] = mapped_column(String(24), primary_key=True)
    reason: Mapped[str] = mapped_column(String(40), primary_key=True)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    offered: Mapped[int] = mapped_column(Integer, default=0)
    quotes: Mapped[int] = mapped_column(Integer, default=0)
    wins: Mapped[int] = mapped_column(Integer, default=0)
    premium_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    gifts: Mapped[int] = mapped_column(Integer, default=0)


class ComplianceDay(Base):
    """One campaign's abandon counts of one closed local day (in ``zone``), summed once.

    Rolled only when the day is over (and ``GRACE`` has passed) and every call placed that day
    has ended, so nothing stored later can change it. ``window`` is the calling window the
    day's calls were judged against (``HH:MM:SS-HH:MM:SS``): a report asking with another
    window computes the day from the calls instead.
    """

    __tablename__ = "compliance_days"

    zone: Mapped[str] = mapped_column(String(40), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    window: Mapped[str] = mapped_column(String(20))
    rolled_at: Mapped[datetime] = mapped_column(UtcDateTime())
    calls: Mapped[int] = mapped_column(Integer, default=0)  # every call placed, any outcome
    live_answers: Mapped[int] = mapped_column(Integer, default=0)
    abandoned: Mapped[int] = mapped_column(Integer, default=0)
    customer_hung_up: Mapped[int] = mapped_column(Integer, default=0)


class ComplianceDayCall(Base):
    """A call of a rolled compliance day that broke a rule: ``kind`` ``outside_hours``,
    ``short_ring`` or ``do_not_call``."""

    __tablename__ = "compliance_day_calls"

    zone: Mapped[str] = mapped_column(String(40), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    call_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    attempt_id: Mapped[int] = mapped_column(Integer)
