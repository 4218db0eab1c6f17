"""The quote panel: what the agent sees for one plate, computed from the book, and its storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from renewals.models import Lead, Policy, Quote, Vehicle
from renewals.quoting.errors import NoPolicyToRenew, VehicleNotFound
from renewals.quoting.ncd import NcdResult, PolicyYear, compute_ncd
from renewals.quoting.premium import CompulsoryQuote, CoverageLine, quote_compulsory, reprice_lines
from renewals.quoting.tables import QuoteRules

__all__ = ["QuotePanel", "build_quote", "store_quote"]

# Last year's commercial premium without a coverage breakdown is quoted as one line.
WHOLE_COMMERCIAL = "商业险"


@dataclass(frozen=True, kw_only=True)
class QuotePanel:
    """Everything the quote panel shows; money in cents."""

    plate: str
    vin: str
    model: str
    first_registration: date | None
    seats: int | None
    customer_name: str
    region_table: str
    lead_id: int | None
    last_commercial_policy_no: str
    last_compulsory_policy_no: str
    last_end_date: date
    new_start_date: date
    claim_count: int
    claim_amount_cents: int
    last_ncd_level: int
    last_ncd_coefficient: Decimal
    ncd: NcdResult
    lines: tuple[CoverageLine, ...]
    last_commercial_cents: int
    new_commercial_cents: int
    compulsory: CompulsoryQuote
    last_compulsory_cents: int
    vessel_tax_cents: int
    last_vessel_tax_cents: int

    @property
    def commercial_change_cents(self) -> int:
        return self.new_commercial_cents - self.last_commercial_cents

    @property
    def total_cents(self) -> int:
        return self.new_commercial_cents + self.compulsory.premium_cents + self.vessel_tax_cents

    @property
    def last_total_cents(self) -> int:
        return self.last_commercial_cents + self.last_compulsory_cents + self.last_vessel_tax_cents

    @property
    def total_change_cents(self) -> int:
        return self.total_cents - self.last_total_cents


def _history(policies: list[Policy]) -> list[PolicyYear]:
    return [
        PolicyYear(
            start_date=p.start_date or p.end_date - timedelta(days=364),
            end_date=p.end_date,
            claim_count=max(p.claim_count, len(p.claims)),
            ncd_level=p.ncd_level,
        )
        for p in sorted(policies, key=lambda p: p.end_date)
    ]


def _load_vehicle(session: Session, plate: str) -> Vehicle:
    vehicle = session.scalars(
        select(Vehicle)
        .where(Vehicle.plate == plate.strip().upper())
        .options(selectinload(Vehicle.policies).selectinload(Policy.coverages))
        .options(selectinload(Vehicle.policies).selectinload(Policy.claims))
        .options(selectinload(Vehicle.customer))
    ).one_or_none()
    if vehicle is None:
        raise VehicleNotFound(plate)
    if not vehicle.policies:
        raise NoPolicyToRenew(plate)
    return vehicle


def build_quote(session: Session, plate: str, today: date, rules: QuoteRules) -> QuotePanel:
    """The renewal quote for ``plate`` (as written in the book) on ``today``."""
    vehicle = _load_vehicle(session, plate)
    history = _history(vehicle.policies)
    last = max(vehicle.policies, key=lambda p: p.end_date)
    new_start = max(last.end_date + timedelta(days=1), today)
    tables = rules.tables_for(vehicle.customer.region)
    ncd = compute_ncd(history, new_start, tables.ncd, rules)
    last_level = (
        last.ncd_level
        if last.ncd_level is not None
        else compute_ncd(history[:-1], history[-1].start_date, tables.ncd, rules).level
    )
    last_coefficient = tables.ncd.coefficient(last_level)
    last_lines = [(c.code, c.premium_cents) for c in last.coverages] or (
        [(WHOLE_COMMERCIAL, last.commercial_premium_cents)] if last.commercial_premium_cents else []
    )
    lines = reprice_lines(last_lines, last_coefficient=last_coefficient, ncd=ncd, rules=rules)
    compulsory = quote_compulsory(history, vehicle.seats, tables.compulsory, rules, reset=ncd.reset)
    lead_id = session.scalar(select(Lead.id).where(Lead.policy_id == last.id))
    return QuotePanel(
        plate=vehicle.plate,
        vin=vehicle.vin,
        model=vehicle.model,
        first_registration=vehicle.first_registration,
        seats=vehicle.seats,
        customer_name=vehicle.customer.name,
        region_table=tables.name,
        lead_id=lead_id,
        last_commercial_policy_no=last.commercial_policy_no,
        last_compulsory_policy_no=last.compulsory_policy_no,
        last_end_date=last.end_date,
        new_start_date=new_start,
        claim_count=history[-1].claim_count,
        claim_amount_cents=max(last.claim_amount_cents, sum(c.amount_cents for c in last.claims)),
        last_ncd_level=last_level,
        last_ncd_coefficient=last_coefficient,
        ncd=ncd,
        lines=tuple(lines),
        last_commercial_cents=sum(cents for _, cents in last_lines),
        new_commercial_cents=sum(line.new_premium_cents for line in lines),
        compulsory=compulsory,
        last_compulsory_cents=last.compulsory_premium_cents,
        vessel_tax_cents=last.vessel_tax_cents or rules.vessel_tax_default_cents,
        last_vessel_tax_cents=last.vessel_tax_cents,
    )


def store_quote(session: Session, panel: QuotePanel, at: datetime) -> Quote | None:
    """Keep the quote on the lead (None when the policy is not on the renewal list)."""
    if panel.lead_id is None:
        return None
    quote = Quote(
        lead_id=panel.lead_id,
        created_at=at,
        ncd_level=panel.ncd.level,
        ncd_coefficient_milli=int(panel.ncd.coefficient * 1000),
        commercial_premium_cents=panel.new_commercial_cents,
        compulsory_premium_cents=panel.compulsory.premium_cents,
        vessel_tax_cents=panel.vessel_tax_cents,
        total_cents=panel.total_cents,
        last_year_total_cents=panel.last_total_cents,
        lines=[
            {
                "code": line.code,
                "last_premium_cents": line.last_premium_cents,
                "new_premium_cents": line.new_premium_cents,
                "change_cents": line.change_cents,
            }
            for line in panel.lines
        ],
    )
    session.add(quote)
    session.flush()  # the caller shows the stored quote's id
    return quote
