"""Sticky callbacks: who may take a callback kept for one agent (VICIdial's USERONLY).

A callback is kept for ``Lead.callback_agent`` while it is pending. Once it is due, if that agent
is not logged in, it waits ``CadenceRules.callback_grace`` and then goes to the team: a
customer who chose a time is never left waiting for an agent who is off today.
``callback_holder`` is the rule; ``sticky_clause`` states it in SQL for the due query.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, false, func, or_

from renewals.cadence.rules import Outcome
from renewals.models import Lead

__all__ = ["StickyCallbacks", "callback_holder", "sticky_clause"]


def callback_holder(
    *,
    callback_agent: str | None,
    due_at: datetime | None,
    at: datetime,
    grace: timedelta,
    present: Collection[str],
) -> str | None:
    """The one agent who may take the lead's callback at ``at``, or None: anyone may.

    ``present``: the agents logged in now. A kept callback stays with its agent while they
    are logged in, and until ``grace`` after the due time when they are not.
    """
    if callback_agent is None or due_at is None:
        return None
    if at >= due_at + grace and callback_agent not in present:
        return None
    return callback_agent


@dataclass(frozen=True, kw_only=True)
class StickyCallbacks:
    """How a due query treats kept callbacks: ``agent`` is who the call is for (a preview or
    manual dial; None: the queue, any agent), ``present`` the agents logged in at ``at``."""

    agent: str | None
    present: tuple[str, ...]
    at: datetime
    grace: timedelta


def sticky_clause(sticky: StickyCallbacks) -> ColumnElement[bool]:
    """SQL truth value: the lead is not a callback kept for someone else (``callback_holder``)."""
    pending = func.coalesce(Lead.last_outcome, "") == Outcome.CALLBACK.value
    present = Lead.callback_agent.in_(sticky.present) if sticky.present else false()
    released = and_(Lead.next_contact_at <= sticky.at - sticky.grace, ~present)
    allowed = [Lead.callback_agent.is_(None), ~pending, released]
    if sticky.agent is not None:
        allowed.append(Lead.callback_agent == sticky.agent)
    return or_(*allowed)
