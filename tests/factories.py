"""Small factories of ORM objects for tests: every argument has a sensible default."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from renewals.models import (
    Claim,
    Coverage,
    Customer,
    DncReason,
    DoNotCall,
    Lead,
    LeadStage,
    LeadStatus,
    Policy,
    Vehicle,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
_serial = itertools.count(1)


def customer(
    *,
    name: str = "张三",
    phone: str | None = None,
    timezone: str = "Asia/Shanghai",
    tenure_years: int = 1,
    region: str = "",
) -> Customer:
    n = next(_serial)
    return Customer(
        name=f"{name}{n}",
        phone=phone or f"138{n:08d}",
        region=region,
        timezone=timezone,
        tenure_years=tenure_years,
        created_at=T0,
        updated_at=T0,
    )


def vehicle(
    *, owner: Customer | None = None, plate: str | None = None, seats: int | None = 5
) -> Vehicle:
    n = next(_serial)
    return Vehicle(
        customer=owner or customer(),
        plate=plate or f"沪A{n:05d}",
        vin=f"LSVAA4182E{n:07d}",
        model="大众朗逸 1.5L",
        first_registration=date(2020, 3, 1),
        seats=seats,
    )


def policy(
    *,
    car: Vehicle | None = None,
    end_date: date,
    start_date: date | None = None,
    claim_count: int = 0,
    ncd_level: int | None = None,
    coverages: dict[str, int] | None = None,
    compulsory_premium_cents: int = 95_000,
    vessel_tax_cents: int = 48_000,
) -> Policy:
    lines = coverages if coverages is not None else {"车损险": 300_000, "三者险": 100_000}
    if start_date is None:
        start_date = end_date - timedelta(days=364)
    return Policy(
        vehicle=car or vehicle(),
        insurer="平安",
        commercial_policy_no=f"C{next(_serial):010d}",
        compulsory_policy_no=f"J{next(_serial):010d}",
        start_date=start_date,
        end_date=end_date,
        commercial_premium_cents=sum(lines.values()),
        compulsory_premium_cents=compulsory_premium_cents,
        vessel_tax_cents=vessel_tax_cents,
        claim_count=claim_count,
        claim_amount_cents=0,
        ncd_level=ncd_level,
        coverages=[
            Coverage(code=c, premium_cents=p, position=i) for i, (c, p) in enumerate(lines.items())
        ],
        claims=[Claim(amount_cents=100_000) for _ in range(claim_count)],
    )


def lead(
    *,
    pol: Policy | None = None,
    end_date: date | None = None,
    stage: LeadStage = LeadStage.LISTED,
    status: LeadStatus = LeadStatus.OPEN,
    **kwargs: object,
) -> Lead:
    if pol is None:
        pol = policy(end_date=end_date or date(2026, 3, 1))
    return Lead(policy=pol, stage=stage, status=status, created_at=T0, updated_at=T0, **kwargs)


def dnc(*, phone: str, reason: DncReason, at: datetime, expires_at: datetime | None) -> DoNotCall:
    return DoNotCall(phone=phone, reason=reason, created_at=at, expires_at=expires_at)


def add(session: Session, *objects: object) -> None:
    session.add_all(objects)
    session.flush()
