"""The priority score as a SQL expression, so the database can rank and cut the due list.

It mirrors :func:`renewals.cadence.decision.priority_score` term by term for one time zone (whose
"today" is a constant); ``tests/integration/renewals/test_due_ranking.py`` checks the two agree.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, case, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from renewals.cadence import decision as weights
from renewals.cadence.rules import CadenceRules, Outcome
from renewals.models import Customer, Lead, Policy

__all__ = ["days_until", "priority_sql"]


class days_until(FunctionElement[int]):
    """Whole days from ``today`` to the date column (negative when past)."""

    type = Integer()
    inherit_cache = True


@compiles(days_until)
def _days_until_default(element: days_until, compiler: SQLCompiler, **kw: Any) -> str:
    end, today = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(today, **kw)})"  # PostgreSQL


@compiles(days_until, "sqlite")
def _days_until_sqlite(element: days_until, compiler: SQLCompiler, **kw: Any) -> str:
    end, today = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(end, **kw)}) - "
        f"julianday({compiler.process(today, **kw)}) AS INTEGER)"
    )


def _contact_term(rules: CadenceRules) -> ColumnElement[int]:
    whens = []
    for target in rules.contact_targets:
        term: ColumnElement[int] = case(
            (
                Lead.contacts < target.min_contacts,
                (target.min_contacts - Lead.contacts) * weights.MISSING_CONTACT_WEIGHT,
            ),
            else_=0,
        )
        if target.max_contacts is not None:
            term = term - case(
                (Lead.contacts >= target.max_contacts, weights.TARGET_MET_PENALTY), else_=0
            )
        in_band = Customer.tenure_years >= target.min_years
        if target.max_years is not None:
            in_band = in_band & (Customer.tenure_years <= target.max_years)
        whens.append((in_band, term))
    # decide.target_for falls back to the last target; so does the CASE.
    return case(*whens[:-1], else_=whens[-1][1]) if len(whens) > 1 else whens[0][1]


def priority_sql(today: date, rules: CadenceRules) -> ColumnElement[int]:
    """The priority of an open, due lead whose customer's local date is ``today``."""
    days = days_until(Policy.end_date, literal(today, Date()))
    # Stage bounds compare dates directly (cheaper than computing days three times a row).
    follow_up_from = today + timedelta(days=rules.step_up_days)
    quote_from = today + timedelta(days=rules.quote_days)
    stage = case(
        (Policy.end_date <= follow_up_from, weights.STAGE_WEIGHT_FOLLOW_UP),
        (Policy.end_date <= quote_from, weights.STAGE_WEIGHT_QUOTE),
        else_=weights.STAGE_WEIGHT_FIRST_CALL,
    )
    # The due query only returns leads at most first_call_days before expiry, so the Python
    # max(first_call_days - days, 0) is the difference itself.
    urgency = (rules.first_call_days - days) * weights.DAY_WEIGHT
    callback = case(
        (
            func.coalesce(Lead.last_outcome, "") == Outcome.CALLBACK.value,
            weights.CALLBACK_WEIGHT,
        ),
        else_=0,
    )
    return stage + urgency + _contact_term(rules) + callback
