"""The quote panel from the book and the stored Quote row, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from renewals.models import Quote
from renewals.quoting import DEFAULT_QUOTE_RULES, VehicleNotFound, build_quote, store_quote
from tests import factories as f

AT = datetime(2026, 5, 20, 3, 0, tzinfo=UTC)


def test_quote_panel_for_a_two_year_claim_free_beijing_car(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        car = f.vehicle(owner=f.customer(region="北京", tenure_years=2), plate="京A12345", seats=5)
        older = f.policy(car=car, end_date=date(2025, 6, 30), ncd_level=0, coverages={"车损险": 1})
        last = f.policy(
            car=car,
            end_date=date(2026, 6, 30),
            ncd_level=-1,
            coverages={"车损险": 312_345, "三者险": 101_001},
            compulsory_premium_cents=85_500,
            vessel_tax_cents=36_000,
        )
        lead = f.lead(pol=last)
        f.add(s, older, last, lead)
        lead_id = lead.id
    with session_factory.begin() as s:
        panel = build_quote(s, "京a12345", date(2026, 5, 20), DEFAULT_QUOTE_RULES)
        stored = store_quote(s, panel, AT)
    assert panel.region_table == "beijing"
    assert (panel.ncd.level, panel.ncd.coefficient) == (-2, Decimal("0.7"))
    assert (panel.last_ncd_level, panel.last_ncd_coefficient) == (-1, Decimal("0.8"))
    # 312345 × 0.875 = 273301.875 → 273302; 101001 × 0.875 = 88375.875 → 88376
    assert [(x.code, x.new_premium_cents) for x in panel.lines] == [
        ("车损险", 273_302),
        ("三者险", 88_376),
    ]
    assert panel.new_commercial_cents == 361_678
    assert panel.commercial_change_cents == 361_678 - 413_346
    assert panel.compulsory.premium_cents == 76_000  # two claim-free years: 950 × 0.8
    assert panel.vessel_tax_cents == 36_000
    assert panel.total_cents == 361_678 + 76_000 + 36_000
    assert panel.last_total_cents == 413_346 + 85_500 + 36_000
    assert panel.new_start_date == date(2026, 7, 1)
    assert stored is not None
    with session_factory() as s:
        row = s.scalars(select(Quote)).one()
    assert (row.lead_id, row.ncd_level, row.ncd_coefficient_milli) == (lead_id, -2, 700)
    assert row.total_cents == panel.total_cents
    assert row.lines[0] == {
        "code": "车损险",
        "last_premium_cents": 312_345,
        "new_premium_cents": 273_302,
        "change_cents": -39_043,
    }


def test_quote_for_unknown_plate_says_so(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as s, pytest.raises(VehicleNotFound):
        build_quote(s, "沪Z99999", date(2026, 5, 20), DEFAULT_QUOTE_RULES)


def test_quote_without_lead_is_computed_but_not_stored(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        f.add(s, f.policy(car=f.vehicle(plate="沪B00001"), end_date=date(2026, 6, 30)))
    with session_factory.begin() as s:
        panel = build_quote(s, "沪B00001", date(2026, 5, 20), DEFAULT_QUOTE_RULES)
        assert store_quote(s, panel, AT) is None
    assert panel.lead_id is None
