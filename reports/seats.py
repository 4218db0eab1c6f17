"""The seat report (坐席报表): per agent (or per team) over a period of local days.

What each figure is (times in seconds, money in cents):
- logged in: every seat state but logged out; ready, paused (by reason), talk (on call) and
  wrap-up are the time in those states, cut at the period's midnights and at team changes;
- calls offered: calls the seat was reserved for or put through to; calls answered: attempts
  bridged to the agent in the period; average handle time: (talk + wrap-up) / calls answered;
- contacts: distinct leads the agent spoke with; quotes: quotes given while the agent had the
  lead (put down to the lead's latest call answered before the quote);
- wins, premium written and gifts: the agent's agreed dispositions (gifts: wins with a gift);
  renewal rate: wins / contacts; average premium per won customer (客均保费): premium / wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from dialer.models import SeatState
from reports.periods import Period
from reports.rollup import live_spans, rolled_days, rolled_outcomes, rolled_seconds
from reports.seat_calls import CallCounts, Key, Outcomes, answered_counts, outcome_counts
from reports.seat_times import StateSeconds, seat_state_seconds
from reports.tuning import tune_for_reports

__all__ = ["SeatReport", "SeatRow", "seat_report"]


@dataclass(slots=True)
class SeatRow:
    """One agent in one team (``agent`` None: a whole team, or the totals)."""

    agent: str | None
    team: str | None
    logged_in_s: float = 0.0
    ready_s: float = 0.0
    paused_s: float = 0.0
    paused_by_reason_s: dict[str, float] = field(default_factory=dict)
    talk_s: float = 0.0
    wrap_s: float = 0.0
    calls: CallCounts = field(default_factory=CallCounts)

    @property
    def aht_s(self) -> float | None:
        """Average handle time: talk and wrap-up per answered call."""
        answered = self.calls.calls_answered
        return (self.talk_s + self.wrap_s) / answered if answered else None

    @property
    def renewal_rate(self) -> float | None:
        """Renewals won per lead contacted."""
        contacts = self.calls.contacts
        return self.calls.wins / contacts if contacts else None

    @property
    def avg_premium_cents(self) -> int | None:
        """Average premium per won customer (客均保费), rounded to the cent."""
        wins = self.calls.wins
        return (self.calls.premium_written_cents * 2 + wins) // (2 * wins) if wins else None

    def add(self, other: SeatRow) -> None:
        self.logged_in_s += other.logged_in_s
        self.ready_s += other.ready_s
        self.paused_s += other.paused_s
        for reason, seconds in other.paused_by_reason_s.items():
            self.paused_by_reason_s[reason] = self.paused_by_reason_s.get(reason, 0.0) + seconds
        self.talk_s += other.talk_s
        self.wrap_s += other.wrap_s
        mine, theirs = self.calls, other.calls
        mine.calls_offered += theirs.calls_offered
        mine.calls_answered += theirs.calls_answered
        mine.contacts += theirs.contacts
        mine.quotes += theirs.quotes
        mine.wins += theirs.wins
        mine.premium_written_cents += theirs.premium_written_cents
        mine.gifts += theirs.gifts


@dataclass(frozen=True, slots=True)
class SeatReport:
    period: Period
    rows: list[SeatRow]
    totals: SeatRow


_STATE_FIELD = {
    SeatState.READY: "ready_s",
    SeatState.ON_CALL: "talk_s",
    SeatState.WRAP_UP: "wrap_s",
    SeatState.PAUSED: "paused_s",
}


def _seat_parts(
    session: Session, period: Period, *, now: datetime, team: str | None
) -> tuple[list[StateSeconds], dict[Key, Outcomes]]:
    """Seat times, offers and outcomes: the rolled-up days read back, the others computed live."""
    rolled = rolled_days(session, period)
    parts = rolled_seconds(session, period, team) if rolled else []
    outcomes = rolled_outcomes(session, period, team) if rolled else {}
    for span in live_spans(period, rolled):
        parts += seat_state_seconds(session, start=span.start, end=span.end, now=now, team=team)
        for key, o in outcome_counts(session, start=span.start, end=span.end, team=team).items():
            outcomes.setdefault(key, Outcomes()).add(o)
    return parts, outcomes


def seat_report(
    session: Session,
    period: Period,
    *,
    now: datetime,
    team: str | None = None,
    by_team: bool = False,
) -> SeatReport:
    """Rows sorted by team then agent; ``by_team`` sums each team's agents into one row.

    Totals add the rows up (a lead two agents spoke with counts once for each of them). Days
    rolled up by :func:`reports.rollup.refresh_rollup` are read back; the others are computed
    from the events, with the same figures.
    """
    tune_for_reports(session)
    rows: dict[tuple[str, str], SeatRow] = {}

    def row(agent: str, team_name: str) -> SeatRow:
        return rows.setdefault((agent, team_name), SeatRow(agent, team_name))

    for (agent, team_name), (calls, leads) in answered_counts(
        session, start=period.start, end=period.end, team=team
    ).items():
        row(agent, team_name).calls.calls_answered = calls
        row(agent, team_name).calls.contacts = leads
    parts, outcomes = _seat_parts(session, period, now=now, team=team)
    for part in parts:
        target = row(part.agent, part.team)
        target.logged_in_s += part.seconds
        target.calls.calls_offered += part.offered
        name = _STATE_FIELD.get(part.state)
        if name is not None:
            setattr(target, name, getattr(target, name) + part.seconds)
        if part.state is SeatState.PAUSED:
            reasons = target.paused_by_reason_s
            reasons[part.reason] = reasons.get(part.reason, 0.0) + part.seconds
    for (agent, team_name), o in outcomes.items():
        c = row(agent, team_name).calls
        c.quotes, c.wins, c.premium_written_cents, c.gifts = (
            o.quotes,
            o.wins,
            o.premium_written_cents,
            o.gifts,
        )
    ordered = [rows[key] for key in sorted(rows, key=lambda k: (k[1], k[0]))]
    if by_team:
        teams: dict[str, SeatRow] = {}
        for item in ordered:
            teams.setdefault(item.team or "", SeatRow(None, item.team)).add(item)
        ordered = list(teams.values())
    totals = SeatRow(None, team)
    for item in ordered:
        totals.add(item)
    return SeatReport(period, ordered, totals)
