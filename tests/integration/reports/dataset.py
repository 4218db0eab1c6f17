"""A small fixed data set for the reports, every figure of which is worked out by hand in the
tests. Times are written in Beijing time (UTC+8), where the reports cut their days.

Agents: A1 in team east throughout; A2 in east until 2026-12-01 00:00, then in west; A3 in no
team. A1's call c1 runs across midnight (23:50 → 00:10); A1 pauses across the next midnight
(23:00 → 01:00); A2's pause runs across midnight and across its change of team.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from dialer.models import Seat, SeatEvent, SeatState
from renewals.models import (
    ContactAttempt,
    DeclineReason,
    Disposition,
    DispositionKind,
    Lead,
    LeadStatus,
    Quote,
)
from reports.periods import local_midnight
from reports.teams import assign_team
from tests import factories as f

BEIJING = ZoneInfo("Asia/Shanghai")
S = SeatState


def nov(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant given in Beijing time, in November 2026."""
    return datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


def dec(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant given in Beijing time, in December 2026."""
    return datetime(2026, 12, day, hour, minute, tzinfo=BEIJING)


SEAT_EVENTS: dict[str, list[tuple[datetime, SeatState, str, str | None]]] = {
    "A1": [
        (nov(29, 18), S.LOGGED_OUT, "", None),
        (nov(30, 22), S.READY, "", None),
        (nov(30, 23, 50), S.ON_CALL, "", "c1"),
        (dec(1, 0, 10), S.WRAP_UP, "", "c1"),
        (dec(1, 0, 12), S.READY, "", None),
        (dec(1, 1), S.PAUSED, "meal", None),
        (dec(1, 1, 30), S.LOGGED_OUT, "", None),
        (dec(1, 9), S.READY, "", None),
        (dec(1, 9, 10), S.ON_CALL, "", "c2"),
        (dec(1, 9, 20), S.WRAP_UP, "", "c2"),
        (dec(1, 9, 21), S.READY, "", None),
        (dec(1, 23), S.PAUSED, "training", None),
        (dec(2, 1), S.LOGGED_OUT, "", None),
    ],
    "A2": [
        (nov(30, 22), S.READY, "", None),
        (nov(30, 22, 30), S.ON_CALL, "", "c0"),
        (nov(30, 22, 40), S.WRAP_UP, "", "c0"),
        (nov(30, 22, 41), S.READY, "", None),
        (nov(30, 23), S.PAUSED, "meeting", None),
        (dec(1, 0, 20), S.READY, "", None),
        (dec(1, 9, 50), S.RESERVED, "", "c4"),  # a preview call the customer never answered
        (dec(1, 9, 51), S.READY, "", None),
        (dec(1, 10), S.ON_CALL, "", "c3"),
        (dec(1, 10, 5), S.WRAP_UP, "", "c3"),
        (dec(1, 10, 6), S.LOGGED_OUT, "", None),
    ],
    "A3": [(dec(1, 14), S.READY, "", None)],  # still ready: counted up to "now"
}


def _lead(
    s: Session, end: date, tenure: int, status: LeadStatus, contacts: int, owner: str | None
) -> Lead:
    row = f.lead(end_date=end, status=status, contacts=contacts, owner_agent=owner)
    row.policy.vehicle.customer.tenure_years = tenure
    f.add(s, row)
    return row


def _attempt(
    s: Session, lead: Lead, call_id: str, agent: str | None, bridged: datetime | None,
    ended: datetime, outcome: str,
) -> ContactAttempt:  # fmt: skip
    row = ContactAttempt(
        lead_id=lead.id, call_id=call_id, campaign_id="c", agent=agent,
        started_at=(bridged or ended), answered_at=bridged, bridged_at=bridged,
        ended_at=ended, outcome=outcome,
    )  # fmt: skip
    s.add(row)
    s.flush()
    return row


def _disposition(
    s: Session, lead: Lead, agent: str, at: datetime, kind: DispositionKind, *,
    reason: DeclineReason | None = None, premium: int | None = None, gifts: str = "",
) -> None:  # fmt: skip
    s.add(
        Disposition(
            lead_id=lead.id, agent=agent, at=at, kind=kind, decline_reason=reason,
            premium_written_cents=premium, gifts=gifts,
        )
    )  # fmt: skip


def _quote(s: Session, lead: Lead, at: datetime) -> None:
    s.add(
        Quote(
            lead_id=lead.id, created_at=at, ncd_level=0, ncd_coefficient_milli=1000,
            commercial_premium_cents=1, compulsory_premium_cents=1, vessel_tax_cents=0,
            total_cents=2, last_year_total_cents=2, lines=[],
        )
    )  # fmt: skip


def build(s: Session) -> dict[str, Lead]:
    """Write the data set; returns the leads by name (L1..L9)."""
    for agent, events in SEAT_EVENTS.items():
        s.add(Seat(agent_id=agent, state=events[-1][1], since=events[-1][0]))
        for at, state, reason, call in events:
            s.add(SeatEvent(agent_id=agent, at=at, state=state, reason=reason, call_id=call))
    assign_team(s, "A1", "east", since=None)
    assign_team(s, "A2", "east", since=None)
    assign_team(s, "A2", "west", since=local_midnight(date(2026, 12, 1), "Asia/Shanghai"))
    won, lost, dnc, open_ = LeadStatus.WON, LeadStatus.LOST, LeadStatus.DO_NOT_CALL, LeadStatus.OPEN
    leads = {
        "L1": _lead(s, date(2027, 1, 3), 0, won, 1, "A1"),
        "L2": _lead(s, date(2027, 1, 5), 2, open_, 1, "A1"),
        "L3": _lead(s, date(2027, 1, 20), 5, won, 1, "A2"),
        "L4": _lead(s, date(2027, 1, 25), 3, won, 1, "A2"),
        "L5": _lead(s, date(2027, 1, 8), 1, lost, 2, "A3"),
        "L6": _lead(s, date(2027, 1, 12), 0, dnc, 0, None),
        "L7": _lead(s, date(2027, 2, 10), 0, open_, 0, None),  # outside January
        "L8": _lead(s, date(2027, 1, 10), 4, open_, 0, "A1"),
        "L9": _lead(s, date(2027, 1, 7), 4, open_, 1, None),
    }
    L = leads
    done = "completed"
    _attempt(s, L["L4"], "c0", "A2", nov(30, 22, 30), nov(30, 22, 40), done)
    _attempt(s, L["L1"], "c1", "A1", nov(30, 23, 50), dec(1, 0, 10), done)
    _attempt(s, L["L2"], "c2", "A1", dec(1, 9, 10), dec(1, 9, 20), done)
    _attempt(s, L["L3"], "c3", "A2", dec(1, 10), dec(1, 10, 5), done)
    _attempt(s, L["L3"], "c4", None, None, dec(1, 9, 51), "no_answer")
    _attempt(s, L["L5"], "c5a", "A3", nov(20, 11), nov(20, 11, 5), done)
    _attempt(s, L["L5"], "c5b", "A3", nov(25, 11), nov(25, 11, 5), done)
    _attempt(s, L["L6"], "c6", None, None, nov(25, 12), "no_answer")
    _attempt(s, L["L9"], "c9", "A3", nov(15, 10), nov(15, 10, 3), done)
    agreed, declined = DispositionKind.AGREED, DispositionKind.DECLINED
    _disposition(s, L["L4"], "A2", nov(30, 22, 40), agreed, premium=150_000, gifts="机油")
    _disposition(s, L["L1"], "A1", dec(1, 0, 11), agreed, premium=350_000, gifts="洗车券")
    _disposition(s, L["L2"], "A1", dec(1, 9, 20), declined, reason=DeclineReason.PRICE)
    _disposition(s, L["L3"], "A2", dec(1, 10, 5), agreed, premium=200_001)
    _disposition(s, L["L5"], "A3", nov(20, 11, 5), declined, reason=DeclineReason.SERVICE)
    _disposition(s, L["L5"], "A3", nov(25, 11, 5), declined, reason=DeclineReason.PRODUCT)
    _quote(s, L["L1"], nov(30, 23, 55))
    _quote(s, L["L1"], dec(1, 0, 5))
    _quote(s, L["L2"], dec(1, 9, 15))
    _quote(s, L["L3"], dec(1, 10, 3))
    s.flush()
    return leads
