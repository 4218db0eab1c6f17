"""A day of work written into a console floor's database, for the report pages' tests.

Yesterday (Beijing time) on campaign ``c1``: agent 1001 (team east) takes call r1 from 09:10 to
09:20, wraps up a minute, wins a renewal of ¥4,500.00 with a gift; agent 1002 (team west) takes
r2 from 09:30 to 09:35 and is declined on price; one call is abandoned and one is not answered.
Both agents log in at 09:00 and out at 10:00. Worked by hand: 1001 logged in 3600 s, talk 600 s,
wrap-up 60 s; 1002 talk 300 s, wrap-up 60 s; abandon rate 1 of 3 live answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from config.db import create_db_engine, make_session_factory
from dialer.models import SeatEvent, SeatState
from renewals.models import ContactAttempt, DeclineReason, Disposition, DispositionKind, Lead
from reports.teams import assign_team

BEIJING = ZoneInfo("Asia/Shanghai")
S = SeatState


@dataclass(frozen=True)
class ReportDay:
    day: date
    wins_1001: int = 1
    premium_1001_cents: int = 450_000


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BEIJING)


def write_report_day(database_url: str) -> ReportDay:
    day = datetime.now(BEIJING).date() - timedelta(days=1)
    engine = create_db_engine(database_url)
    try:
        with make_session_factory(engine).begin() as s:
            assign_team(s, "1001", "east", since=None)
            assign_team(s, "1002", "west", since=None)
            leads = list(s.scalars(select(Lead.id).order_by(Lead.id.desc()).limit(4)))
            for agent, start, talk_min, call in (("1001", 10, 10, "r1"), ("1002", 30, 5, "r2")):
                events = [
                    (_at(day, 9), S.READY, None),
                    (_at(day, 9, start), S.ON_CALL, call),
                    (_at(day, 9, start + talk_min), S.WRAP_UP, call),
                    (_at(day, 9, start + talk_min + 1), S.READY, None),
                    (_at(day, 10), S.LOGGED_OUT, None),
                ]
                for at, state, call_id in events:
                    s.add(SeatEvent(agent_id=agent, campaign_id="c1", at=at, state=state,
                                    reason="", call_id=call_id))  # fmt: skip
            calls = (
                ("r1", leads[0], "1001", 10, 10, "completed"),
                ("r2", leads[1], "1002", 30, 5, "completed"),
                ("r3", leads[2], None, 40, 0, "abandoned"),
                ("r4", leads[3], None, 45, 0, "no_answer"),
            )
            for call_id, lead_id, agent, minute, talk, outcome in calls:
                began = _at(day, 9, minute)
                attempt = ContactAttempt(
                    lead_id=lead_id, call_id=call_id, campaign_id="c1", agent=agent,
                    started_at=began - timedelta(seconds=20),
                    answered_at=began if outcome != "no_answer" else None,
                    bridged_at=began if agent else None,
                    ended_at=began + timedelta(minutes=talk, seconds=1), outcome=outcome,
                )  # fmt: skip
                s.add(attempt)
                s.flush()
                if agent == "1001":
                    s.add(Disposition(lead_id=lead_id, attempt_id=attempt.id, agent=agent,
                                      at=_at(day, 9, 21), kind=DispositionKind.AGREED,
                                      premium_written_cents=450_000, gifts="洗车券"))  # fmt: skip
                elif agent == "1002":
                    s.add(Disposition(lead_id=lead_id, attempt_id=attempt.id, agent=agent,
                                      at=_at(day, 9, 36), kind=DispositionKind.DECLINED,
                                      decline_reason=DeclineReason.PRICE))  # fmt: skip
    finally:
        engine.dispose()
    return ReportDay(day)
