"""The no-claim-discount (无赔款优待, NCD) level from the claims history and insured years.

Rules (playbook, after the 2020 reform): 4+ consecutive claim-free years → -4 (-5 where the
region's table goes that far), 3 → -3, 2 → -2, 1 → -1; new vehicle or one claim last year → 0;
each further claim last year one level up. A lapse over 3 months lets the level only rise
against last year's; over 6 months resets it to 0. Consecutive years stop at a gap over 3 months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from renewals.cadence.calendar import add_months
from renewals.quoting.tables import NcdTable, QuoteRules

__all__ = ["NcdResult", "PolicyYear", "claim_free_years", "compute_ncd"]


@dataclass(frozen=True, kw_only=True)
class PolicyYear:
    """One past policy of the vehicle: its period and how many claims it paid."""

    start_date: date
    end_date: date  # last day covered
    claim_count: int
    ncd_level: int | None = None  # as printed on the policy, when the book has it


@dataclass(frozen=True, kw_only=True)
class NcdResult:
    level: int
    coefficient: Decimal
    claim_free_years: int
    last_year_claims: int
    lapse_days: int  # days uncovered between last year's end and the new start
    reset: bool  # the lapse was long enough to reset the record
    reason_zh: str
    reason_en: str


def _chain_breaks(earlier: PolicyYear, later: PolicyYear, rules: QuoteRules) -> bool:
    return later.start_date > add_months(
        earlier.end_date + timedelta(days=1), rules.lapse_only_rise_months
    )


def claim_free_years(history: Sequence[PolicyYear], rules: QuoteRules) -> int:
    """Consecutive claim-free policy years counted back from the most recent one."""
    years = 0
    for index in range(len(history) - 1, -1, -1):
        if history[index].claim_count > 0:
            break
        years += 1
        if index > 0 and _chain_breaks(history[index - 1], history[index], rules):
            break
    return years


def compute_ncd(
    history: Sequence[PolicyYear], new_start: date, table: NcdTable, rules: QuoteRules
) -> NcdResult:
    """The level for a policy starting ``new_start``; ``history`` is oldest first."""
    if not history:
        return _result(0, table, 0, 0, 0, "新车或无投保记录", "new vehicle or no insurance record")
    last = history[-1]
    lapse_days = max((new_start - (last.end_date + timedelta(days=1))).days, 0)
    resume = last.end_date + timedelta(days=1)
    free = claim_free_years(history, rules)
    claims = last.claim_count
    if new_start > add_months(resume, rules.lapse_reset_months):
        zh = f"脱保{lapse_days}天，超过{rules.lapse_reset_months}个月，等级重置为0"
        en = f"lapsed {lapse_days} days (over {rules.lapse_reset_months} months): reset to 0"
        return _result(0, table, free, claims, lapse_days, zh, en, reset=True)
    level, zh, en = _level_from_record(free, claims, table)
    if new_start > add_months(resume, rules.lapse_only_rise_months):
        previous = _previous_level(history, table, rules)
        if level < previous:
            zh += f"；脱保{lapse_days}天（3-6个月）等级只升不降，保持上年{previous}级"
            en += f"; lapsed {lapse_days} days (3-6 months): may only rise, kept at {previous}"
            level = previous
    return _result(level, table, free, claims, lapse_days, zh, en)


def _level_from_record(free: int, claims: int, table: NcdTable) -> tuple[int, str, str]:
    if claims == 0:
        level = -min(free, -table.min_level)
        zh = f"连续{free}年未出险，NCD等级{level}"
        en = f"{free} consecutive claim-free year(s): level {level}"
        if free > -table.min_level:
            zh += f"（本地区最低{table.min_level}级）"
            en += " (the region's lowest)"
        return level, zh, en
    level = min(claims - 1, table.max_level)
    zh = f"上年出险{claims}次，NCD等级{level}"
    en = f"{claims} claim(s) last year: level {level}"
    if claims - 1 > table.max_level:
        zh += f"（本地区最高{table.max_level}级）"
        en += " (the region's highest)"
    return level, zh, en


def _previous_level(history: Sequence[PolicyYear], table: NcdTable, rules: QuoteRules) -> int:
    last = history[-1]
    if last.ncd_level is not None:
        return last.ncd_level
    return compute_ncd(history[:-1], last.start_date, table, rules).level


def _result(
    level: int,
    table: NcdTable,
    free: int,
    claims: int,
    lapse_days: int,
    zh: str,
    en: str,
    *,
    reset: bool = False,
) -> NcdResult:
    coefficient = table.coefficient(level)
    return NcdResult(
        level=level,
        coefficient=coefficient,
        claim_free_years=free,
        last_year_claims=claims,
        lapse_days=lapse_days,
        reset=reset,
        reason_zh=f"{zh}，系数{coefficient}",
        reason_en=f"{en}, coefficient {coefficient}",
    )
