"""The cadence rules as data: the playbook's defaults, every one overridable from settings.

Days are counted back from the policy's expiry date in the customer's own calendar (T-60 is
60 days before ``Policy.end_date``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from functools import lru_cache
from types import MappingProxyType

__all__ = ["DEFAULT_RULES", "CadenceRules", "ContactTarget", "Outcome"]


class Outcome(enum.StrEnum):
    """What one attempt ended with; stored in ``Lead.last_outcome``."""

    NO_ANSWER = "no_answer"
    BUSY = "busy"
    MACHINE = "machine"  # voicemail / answering machine
    CALLBACK = "callback"  # the customer chose a time to be called back
    CONTACTED = "contacted"  # reached, no decision yet (quote sent, thinking it over)
    DECLINED = "declined"  # did not agree (price/product/service): keep following up
    AGREED = "agreed"  # renewal won
    REFUSED = "refused"  # refused renewal calls: lost, number blocked for months
    OPT_OUT = "opt_out"  # asked never to be called again: permanent do-not-call
    WRONG_NUMBER = "wrong_number"  # bad data: find the right contact, never redial
    ABANDONED = "abandoned"  # answered, no agent in time: heard the safe message
    FAILED = "failed"  # the network could not place the call (or its result was lost)


@dataclass(frozen=True, kw_only=True)
class ContactTarget:
    """Planned contacts for customers with ``min_years``..``max_years`` of tenure (inclusive)."""

    min_years: int
    max_years: int | None  # None: no upper bound
    min_contacts: int
    max_contacts: int | None  # None: "or more"

    def matches(self, tenure_years: int) -> bool:
        return tenure_years >= self.min_years and (
            self.max_years is None or tenure_years <= self.max_years
        )


def _default_targets() -> tuple[ContactTarget, ...]:
    # Playbook "How many contacts it takes": first-year 5+, 2-3 years 3-4, many years 1-2.
    return (
        ContactTarget(min_years=0, max_years=1, min_contacts=5, max_contacts=None),
        ContactTarget(min_years=2, max_years=3, min_contacts=3, max_contacts=4),
        ContactTarget(min_years=4, max_years=None, min_contacts=1, max_contacts=2),
    )


def _default_spacing() -> Mapping[Outcome, timedelta]:
    return MappingProxyType(
        {
            Outcome.NO_ANSWER: timedelta(hours=2),
            Outcome.BUSY: timedelta(minutes=30),
            # The customer heard our safe message: call back soon, while they remember it.
            Outcome.ABANDONED: timedelta(minutes=30),
            Outcome.FAILED: timedelta(hours=1),
            Outcome.MACHINE: timedelta(hours=4),
            Outcome.CONTACTED: timedelta(days=2),
            Outcome.DECLINED: timedelta(days=3),
        }
    )


@dataclass(frozen=True, kw_only=True)
class CadenceRules:
    """Every rule deciding whether a lead is due. Defaults come from the renewal playbook."""

    list_days: int = 60  # enters the renewal list
    first_call_days: int = 50  # first call: reminder and needs
    quote_days: int = 45  # quote and close from T-45 (the playbook's window runs to T-30)
    step_up_days: int = 15  # step up the follow-up
    grace_days_after_expiry: int = 0  # days after expiry a lapsed policy is still worked
    contact_targets: tuple[ContactTarget, ...] = field(default_factory=_default_targets)
    calling_start: time = time(9, 0)  # local time of the customer, inclusive
    calling_end: time = time(21, 0)  # exclusive: 21:00:00 is already too late
    default_timezone: str = "Asia/Shanghai"
    refusal_block_months: int = 6  # do-not-call after a refusal; opt-out is permanent
    retry_spacing: Mapping[Outcome, timedelta] = field(default_factory=_default_spacing)
    daily_attempt_cap: int = 3  # attempts per lead per local day (callbacks exempt)
    # A callback kept for an agent who is not logged in goes to the team this long after it
    # is due (VICIdial's USERONLY callbacks).
    callback_grace: timedelta = timedelta(minutes=30)

    def target_for(self, tenure_years: int) -> ContactTarget:
        """The first target whose tenure band holds ``tenure_years`` (else the last one)."""
        return _target_for(self.contact_targets, tenure_years)


@lru_cache(maxsize=1024)
def _target_for(targets: tuple[ContactTarget, ...], tenure_years: int) -> ContactTarget:
    # Cached: the due query asks this for every candidate row, with a handful of distinct keys.
    for target in targets:
        if target.matches(tenure_years):
            return target
    return targets[-1]


DEFAULT_RULES = CadenceRules()
