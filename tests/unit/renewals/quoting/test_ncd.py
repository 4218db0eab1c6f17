"""NCD level from claims and consecutive years: table edges, regional tables, lapses."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from renewals.quoting import DEFAULT_QUOTE_RULES, PolicyYear, claim_free_years, compute_ncd
from renewals.quoting.tables import DEFAULT_NCD, FIVE_LEVEL_NCD

RULES = DEFAULT_QUOTE_RULES


def years(*claims: int, last_end: date = date(2026, 6, 30)) -> list[PolicyYear]:
    """Back-to-back yearly policies, oldest first, the last ending ``last_end``."""
    out = []
    end = last_end
    for count in reversed(claims):
        start = end.replace(year=end.year - 1) + timedelta(days=1)
        out.append(PolicyYear(start_date=start, end_date=end, claim_count=count))
        end = start - timedelta(days=1)
    return list(reversed(out))


RENEWAL = date(2026, 7, 1)


@pytest.mark.parametrize(
    ("claims", "level", "coefficient"),
    [
        ((), 0, "1.0"),  # new vehicle
        ((0,), -1, "0.8"),
        ((0, 0), -2, "0.7"),
        ((0, 0, 0), -3, "0.6"),
        ((0, 0, 0, 0), -4, "0.5"),
        ((0, 0, 0, 0, 0, 0), -4, "0.5"),  # the default table stops at -4
        ((1,), 0, "1.0"),
        ((0, 0, 0, 1), 0, "1.0"),  # one claim last year wipes the discount
        ((2,), 1, "1.2"),
        ((3,), 2, "1.4"),
        ((5,), 4, "1.8"),
        ((6,), 5, "2.0"),
        ((9,), 5, "2.0"),  # the table stops at +5
        ((0, 3, 0), -1, "0.8"),  # a claim two years ago: one claim-free year since
    ],
)
def test_default_table_levels(claims: tuple[int, ...], level: int, coefficient: str) -> None:
    result = compute_ncd(years(*claims), RENEWAL, DEFAULT_NCD, RULES)
    assert (result.level, result.coefficient) == (level, Decimal(coefficient))


def test_beijing_table_goes_to_minus_five_at_0_4() -> None:
    result = compute_ncd(years(0, 0, 0, 0, 0), RENEWAL, FIVE_LEVEL_NCD, RULES)
    assert (result.level, result.coefficient) == (-5, Decimal("0.4"))
    four = compute_ncd(years(0, 0, 0, 0), RENEWAL, FIVE_LEVEL_NCD, RULES)
    assert four.level == -4


def test_region_lookup_matches_city_names_and_falls_back() -> None:
    assert RULES.tables_for("北京市朝阳区").ncd.coefficients == FIVE_LEVEL_NCD.coefficients
    assert RULES.tables_for("Xiamen").name == "xiamen"
    assert RULES.tables_for("上海").ncd is DEFAULT_NCD
    assert RULES.tables_for("").ncd is DEFAULT_NCD


def test_reason_says_why_in_chinese_and_english() -> None:
    result = compute_ncd(years(0, 0, 0), RENEWAL, DEFAULT_NCD, RULES)
    assert result.reason_zh == "连续3年未出险，NCD等级-3，系数0.6"
    assert result.reason_en == "3 consecutive claim-free year(s): level -3, coefficient 0.6"
    claims = compute_ncd(years(2), RENEWAL, DEFAULT_NCD, RULES)
    assert claims.reason_zh == "上年出险2次，NCD等级1，系数1.2"


def test_a_gap_over_three_months_breaks_the_consecutive_years() -> None:
    history = [
        PolicyYear(start_date=date(2023, 1, 1), end_date=date(2023, 12, 31), claim_count=0),
        # Resumed 1 April 2024 + 1 day: more than 3 months after 1 January.
        PolicyYear(start_date=date(2024, 4, 2), end_date=date(2025, 4, 1), claim_count=0),
        PolicyYear(start_date=date(2025, 4, 2), end_date=date(2026, 4, 1), claim_count=0),
    ]
    assert claim_free_years(history, RULES) == 2
    at_three_months = [
        history[0],
        PolicyYear(start_date=date(2024, 4, 1), end_date=date(2025, 3, 31), claim_count=0),
    ]
    assert claim_free_years(at_three_months, RULES) == 2  # exactly 3 months is not over


@pytest.mark.parametrize(
    ("lapse", "level", "reset"),
    [
        (timedelta(days=0), -3, False),  # renewed on time
        (timedelta(days=92), -3, False),  # 1 Jul → 1 Oct is exactly 3 months: still normal
        (timedelta(days=93), -2, False),  # over 3 months: only rise from last year's -2
        (timedelta(days=184), -2, False),  # 1 Jan is exactly 6 months
        (timedelta(days=185), 0, True),  # over 6 months: reset
    ],
)
def test_lapse_rules(lapse: timedelta, level: int, reset: bool) -> None:
    result = compute_ncd(years(0, 0, 0), RENEWAL + lapse, DEFAULT_NCD, RULES)
    assert (result.level, result.reset) == (level, reset)


def test_lapse_does_not_stop_a_rise() -> None:
    history = years(0, 0, 3)  # last year's level was -2, three claims make it +2
    result = compute_ncd(history, RENEWAL + timedelta(days=120), DEFAULT_NCD, RULES)
    assert result.level == 2


def test_lapse_uses_the_printed_level_of_last_year_when_the_book_has_it() -> None:
    history = years(0, 0)
    history[-1] = PolicyYear(
        start_date=history[-1].start_date,
        end_date=history[-1].end_date,
        claim_count=0,
        ncd_level=-1,
    )
    result = compute_ncd(history, RENEWAL + timedelta(days=120), DEFAULT_NCD, RULES)
    assert result.level == -1
    assert "只升不降" in result.reason_zh
