"""Premium arithmetic: every amount in integer cents (分), one ROUND_HALF_UP per amount.

A coverage's new premium is last year's with last year's NCD coefficient taken out and this
year's put in, times the change of the other factors: exact ``Decimal`` arithmetic, then one
rounding to the fen, so the lines add up to the printed total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from renewals.quoting.ncd import NcdResult, PolicyYear, claim_free_years
from renewals.quoting.tables import CompulsoryRates, QuoteRules

__all__ = [
    "CompulsoryQuote",
    "CoverageLine",
    "compulsory_multiplier",
    "quote_compulsory",
    "reprice_lines",
    "round_cents",
]


def round_cents(amount: Decimal) -> int:
    """Round an exact amount of cents to a whole fen, halves away from zero (ROUND_HALF_UP)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, kw_only=True)
class CoverageLine:
    code: str
    last_premium_cents: int
    new_premium_cents: int

    @property
    def change_cents(self) -> int:
        return self.new_premium_cents - self.last_premium_cents


def reprice_lines(
    last_lines: Sequence[tuple[str, int]],
    *,
    last_coefficient: Decimal,
    ncd: NcdResult,
    rules: QuoteRules,
) -> list[CoverageLine]:
    """This year's premium for each of last year's coverages ``(code, premium cents)``."""
    ratio = (
        ncd.coefficient / last_coefficient * rules.pricing_factor_change
        if last_coefficient
        else ncd.coefficient * rules.pricing_factor_change
    ) * rules.traffic_factor_change
    return [
        CoverageLine(
            code=code,
            last_premium_cents=cents,
            new_premium_cents=round_cents(Decimal(cents) * ratio),
        )
        for code, cents in last_lines
    ]


@dataclass(frozen=True, kw_only=True)
class CompulsoryQuote:
    base_cents: int
    multiplier: Decimal
    premium_cents: int
    reason_zh: str
    reason_en: str


def compulsory_multiplier(
    history: Sequence[PolicyYear], rates: CompulsoryRates, rules: QuoteRules, *, reset: bool
) -> tuple[Decimal, str, str]:
    """The compulsory floating multiplier from the vehicle's own claim-free record."""
    if not history or reset:
        return rates.no_record, "无投保记录或记录已重置", "no record (new or reset)"
    claims = history[-1].claim_count
    if claims == 1:
        return rates.one_claim, "上年出险1次", "one claim last year"
    if claims > 1:
        return rates.more_claims, f"上年出险{claims}次", f"{claims} claims last year"
    free = claim_free_years(history, rules)
    multiplier = rates.claim_free[min(free, len(rates.claim_free)) - 1]
    return multiplier, f"连续{free}年未出险", f"{free} claim-free year(s)"


def quote_compulsory(
    history: Sequence[PolicyYear],
    seats: int | None,
    rates: CompulsoryRates,
    rules: QuoteRules,
    *,
    reset: bool,
) -> CompulsoryQuote:
    base = rules.compulsory_base_cents(seats)
    multiplier, zh, en = compulsory_multiplier(history, rates, rules, reset=reset)
    return CompulsoryQuote(
        base_cents=base,
        multiplier=multiplier,
        premium_cents=round_cents(Decimal(base) * multiplier),
        reason_zh=f"{zh}，交强险费率系数{multiplier}",
        reason_en=f"{en}: compulsory multiplier {multiplier}",
    )
