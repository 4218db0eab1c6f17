"""SQLAlchemy models of the renewal book: customers, vehicles, policies, leads and outcomes.

Money is stored as integer cents (分) and dates as dates; times are timezone-aware UTC.
Natural keys used by the importer: vehicle by plate, customer by (name, phone),
policy by (vehicle, end date), lead by policy.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from renewals.sqltypes import UtcDateTime, value_enum

__all__ = [
    "Base",
    "Claim",
    "ContactAttempt",
    "Coverage",
    "Customer",
    "DeclineReason",
    "Disposition",
    "DispositionKind",
    "DncReason",
    "DoNotCall",
    "Lead",
    "LeadStage",
    "LeadStatus",
    "Policy",
    "Quote",
    "Vehicle",
]

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


UTC_TS = UtcDateTime()


class LeadStage(enum.StrEnum):
    """Where a renewal case is in the cadence (counted back from the policy's expiry)."""

    LISTED = "listed"  # entered the renewal list at T-60
    FIRST_CALL = "first_call"  # T-50: reminder and needs
    QUOTE = "quote"  # T-45..T-30: quote and close
    FOLLOW_UP = "follow_up"  # T-15: step up
    CLOSED = "closed"


class LeadStatus(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"
    DO_NOT_CALL = "do_not_call"
    BAD_DATA = "bad_data"  # wrong number / referrer: find the right contact, do not redial


class DispositionKind(enum.StrEnum):
    AGREED = "agreed"
    DECLINED = "declined"
    CALLBACK = "callback"
    WRONG_NUMBER = "wrong_number"
    DO_NOT_CALL = "do_not_call"
    NO_DECISION = "no_decision"


class DeclineReason(enum.StrEnum):
    PRODUCT = "product"
    SERVICE = "service"
    PRICE = "price"
    OTHER = "other"


class DncReason(enum.StrEnum):
    REFUSED = "refused"  # refused a renewal call: blocked for a period (default 6 months)
    OPT_OUT = "opt_out"  # asked never to be called: permanent


class Customer(Base):
    __tablename__ = "customers"
    # Phone first: look-ups are by phone, and this one index serves them (a second index on
    # phone alone cost every imported customer another B-tree insert).
    __table_args__ = (UniqueConstraint("phone", "name", name="uq_customers_phone_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(40), default="")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")
    tenure_years: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    updated_at: Mapped[datetime] = mapped_column(UTC_TS)

    vehicles: Mapped[list[Vehicle]] = relationship(back_populates="customer")


class Vehicle(Base):
    __tablename__ = "vehicles"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    plate: Mapped[str] = mapped_column(String(16), unique=True)
    vin: Mapped[str] = mapped_column(String(17), default="")
    model: Mapped[str] = mapped_column(String(100), default="")
    first_registration: Mapped[date | None] = mapped_column(Date, nullable=True)
    seats: Mapped[int | None] = mapped_column(Integer, nullable=True)

    customer: Mapped[Customer] = relationship(back_populates="vehicles")
    policies: Mapped[list[Policy]] = relationship(back_populates="vehicle")


class Policy(Base):
    """One year's policy of a vehicle: the commercial part and the compulsory (交强险) part."""

    __tablename__ = "policies"
    # The unique (vehicle, end date) index also serves look-ups by vehicle alone.
    __table_args__ = (UniqueConstraint("vehicle_id", "end_date", name="uq_policies_vehicle_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"))
    insurer: Mapped[str] = mapped_column(String(60), default="")
    commercial_policy_no: Mapped[str] = mapped_column(String(40), default="")
    compulsory_policy_no: Mapped[str] = mapped_column(String(40), default="")
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date] = mapped_column(Date, index=True)
    commercial_premium_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    compulsory_premium_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    vessel_tax_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    claim_count: Mapped[int] = mapped_column(Integer, default=0)
    claim_amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    ncd_level: Mapped[int | None] = mapped_column(Integer, nullable=True)

    vehicle: Mapped[Vehicle] = relationship(back_populates="policies")
    coverages: Mapped[list[Coverage]] = relationship(
        back_populates="policy",
        cascade="all, delete-orphan",
        order_by=lambda: [Coverage.position, Coverage.code],
    )
    claims: Mapped[list[Claim]] = relationship(
        back_populates="policy", cascade="all, delete-orphan", order_by="Claim.id"
    )

    @property
    def total_premium_cents(self) -> int:
        return self.commercial_premium_cents + self.compulsory_premium_cents


class Coverage(Base):
    """One coverage (险种) of a policy, e.g. 车损险 or 三者险 with its insured amount."""

    __tablename__ = "coverages"
    # Keyed by (policy, code) and, on SQLite, stored in that key's B-tree alone (WITHOUT ROWID):
    # a book row brings four or more coverages, and a rowid table plus a unique index cost two
    # B-tree inserts for each.
    __table_args__ = ({"sqlite_with_rowid": False},)

    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)  # the order the book lists
    insured_amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    premium_cents: Mapped[int] = mapped_column(BigInteger, default=0)

    policy: Mapped[Policy] = relationship(back_populates="coverages")


class Claim(Base):
    """One claim (出险) on a policy, when the book gives details."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), index=True
    )
    occurred_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)

    policy: Mapped[Policy] = relationship(back_populates="claims")


class Lead(Base):
    """The renewal case of one policy: the unit the dialer leases and agents work."""

    __tablename__ = "leads"
    __table_args__ = (Index("ix_leads_due", "status", "next_contact_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), unique=True)
    stage: Mapped[LeadStage] = mapped_column(
        value_enum(LeadStage, "lead_stage"), default=LeadStage.LISTED
    )
    status: Mapped[LeadStatus] = mapped_column(
        value_enum(LeadStatus, "lead_status"), default=LeadStatus.OPEN
    )
    owner_agent: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    contacts: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )  # attempts that reached the customer
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    # Attempts on one day in the customer's time zone, for the daily cap without counting rows.
    # A server default too: bulk writers (the book importer) need not know every counter.
    day_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    day_attempts_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    next_contact_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    # A callback kept for one agent (sticky, VICIdial's USERONLY): while ``last_outcome`` is
    # "callback" only this agent gets the lead, until the grace after ``next_contact_at`` runs
    # out with them away (``renewals.callbacks``). None: the team's callback, or no callback.
    callback_agent: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    updated_at: Mapped[datetime] = mapped_column(UTC_TS)

    policy: Mapped[Policy] = relationship()


class ContactAttempt(Base):
    """One call (or SMS) to a lead's customer, with its outcome."""

    __tablename__ = "contact_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    call_id: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[str] = mapped_column(String(40), default="")
    channel: Mapped[str] = mapped_column(String(10), default="call")
    agent: Mapped[str | None] = mapped_column(String(40), nullable=True)
    caller_id: Mapped[str] = mapped_column(String(20), default="")
    started_at: Mapped[datetime] = mapped_column(UTC_TS, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    bridged_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    hangup_cause: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recording_path: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # The backend said it recorded to ``recording_path`` but no file was there when it ended.
    recording_missing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Quote(Base):
    """A premium quote given to the customer (amounts in cents; ``lines`` per coverage)."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    ncd_level: Mapped[int] = mapped_column(Integer)
    ncd_coefficient_milli: Mapped[int] = mapped_column(Integer)  # 0.85 → 850
    commercial_premium_cents: Mapped[int] = mapped_column(BigInteger)
    compulsory_premium_cents: Mapped[int] = mapped_column(BigInteger)
    vessel_tax_cents: Mapped[int] = mapped_column(BigInteger)
    total_cents: Mapped[int] = mapped_column(BigInteger)
    last_year_total_cents: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)


class Disposition(Base):
    """What the agent recorded at the end of a conversation."""

    __tablename__ = "dispositions"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("contact_attempts.id"), nullable=True)
    agent: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTC_TS)
    kind: Mapped[DispositionKind] = mapped_column(value_enum(DispositionKind, "disposition_kind"))
    decline_reason: Mapped[DeclineReason | None] = mapped_column(
        value_enum(DeclineReason, "decline_reason"), nullable=True
    )
    callback_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    deal_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    premium_written_cents: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    gifts: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class DoNotCall(Base):
    """A number no campaign may dial until ``expires_at`` (never, when it is null)."""

    __tablename__ = "do_not_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[DncReason] = mapped_column(value_enum(DncReason, "dnc_reason"))
    source: Mapped[str] = mapped_column(String(20), default="agent")
    created_at: Mapped[datetime] = mapped_column(UTC_TS)
    expires_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    # The call in which the customer opted out (a key in the safe message or IVR), if any.
    call_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The agent who put it there (their do-not-call button), if an agent did.
    agent: Mapped[str | None] = mapped_column(String(40), nullable=True)
