"""Quote arithmetic in exact cents with one ROUND_HALF_UP per amount."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from renewals.quoting import (
    DEFAULT_QUOTE_RULES,
    CompulsoryRates,
    PolicyYear,
    compute_ncd,
    quote_compulsory,
    reprice_lines,
    round_cents,
)
from renewals.quoting.tables import DEFAULT_NCD

RULES = DEFAULT_QUOTE_RULES


@pytest.mark.parametrize(
    ("amount", "cents"),
    [("0.5", 1), ("1.5", 2), ("2.5", 3), ("2.4999", 2), ("-0.5", -1), ("123456.5", 123457)],
)
def test_round_half_up_to_the_fen(amount: str, cents: int) -> None:
    assert round_cents(Decimal(amount)) == cents


def _ncd(claims: list[int]) -> object:
    history = [
        PolicyYear(start_date=date(2026 - n, 7, 1), end_date=date(2027 - n, 6, 30), claim_count=c)
        for n, c in zip(range(len(claims), 0, -1), claims, strict=True)
    ]
    return compute_ncd(history, date(2026, 7, 1), DEFAULT_NCD, RULES)


def test_reprice_takes_last_years_coefficient_out_and_puts_this_years_in() -> None:
    ncd = _ncd([0, 0])  # level -2, 0.7
    lines = reprice_lines(
        [("车损险", 300_001), ("三者险", 100_000), ("车上人员", 3)],
        last_coefficient=Decimal("0.8"),  # last year at -1
        ncd=ncd,  # type: ignore[arg-type]
        rules=RULES,
    )
    # 300001 × 0.7 / 0.8 = 262500.875 → 262501; 100000 × 0.875 = 87500; 3 × 0.875 = 2.625 → 3
    assert [(x.code, x.new_premium_cents, x.change_cents) for x in lines] == [
        ("车损险", 262_501, -37_500),
        ("三者险", 87_500, -12_500),
        ("车上人员", 3, 0),
    ]


def test_reprice_half_a_fen_rounds_up() -> None:
    ncd = _ncd([1])  # level 0, 1.0
    lines = reprice_lines(
        [("车损险", 1)],
        last_coefficient=Decimal("0.8"),
        ncd=ncd,
        rules=RULES,  # type: ignore[arg-type]
    )
    assert lines[0].new_premium_cents == 1  # 1.25 → 1
    lines = reprice_lines(
        [("车损险", 2)],
        last_coefficient=Decimal("0.8"),
        ncd=ncd,
        rules=RULES,  # type: ignore[arg-type]
    )
    assert lines[0].new_premium_cents == 3  # 2.5 → 3


def test_reprice_applies_the_other_factor_changes() -> None:
    rules = replace(
        RULES, pricing_factor_change=Decimal("0.9"), traffic_factor_change=Decimal("1.1")
    )
    ncd = _ncd([1])  # 1.0
    lines = reprice_lines(
        [("车损险", 100_000)],
        last_coefficient=Decimal("1.0"),
        ncd=ncd,
        rules=rules,  # type: ignore[arg-type]
    )
    assert lines[0].new_premium_cents == 99_000


@pytest.mark.parametrize(
    ("claims", "seats", "cents", "multiplier"),
    [
        ([], 5, 95_000, "1.0"),
        ([0], 5, 85_500, "0.9"),
        ([0, 0], 5, 76_000, "0.8"),
        ([0, 0, 0], 5, 66_500, "0.7"),
        ([0, 0, 0, 0, 0], 5, 66_500, "0.7"),
        ([1], 5, 95_000, "1.0"),
        ([2], 5, 104_500, "1.1"),
        ([0], 7, 99_000, "0.9"),  # 6 seats and more: 1,100 yuan base
        ([0], None, 85_500, "0.9"),  # seats unknown: the family-car band
    ],
)
def test_compulsory_premium_by_seats_and_record(
    claims: list[int], seats: int | None, cents: int, multiplier: str
) -> None:
    history = [
        PolicyYear(start_date=date(2020 + i, 1, 1), end_date=date(2020 + i, 12, 31), claim_count=c)
        for i, c in enumerate(claims)
    ]
    quote = quote_compulsory(history, seats, CompulsoryRates(), RULES, reset=False)
    assert (quote.premium_cents, quote.multiplier) == (cents, Decimal(multiplier))


def test_compulsory_regional_rates_and_reset() -> None:
    rates = CompulsoryRates(claim_free=(Decimal("0.7"), Decimal("0.6"), Decimal("0.5")))
    history = [PolicyYear(start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), claim_count=0)]
    assert quote_compulsory(history, 5, rates, RULES, reset=False).premium_cents == 66_500
    assert quote_compulsory(history, 5, rates, RULES, reset=True).premium_cents == 95_000
