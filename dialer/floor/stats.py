"""What the campaign panel needs beyond the live floor: settings, today's and the rolling 30 days'
outcomes, averages and leads left, read from the database.

These change slowly (a lead, an outcome at a time), so the supervisors' feed reads them every
``CampaignStats`` refresh (seconds), while seats and lines follow the bus.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dialer.calls.states import Outcome
from dialer.models import Campaign, SeatEvent, SeatState
from dialer.runtime.stats import rolling_abandons
from renewals.cadence import find_due_leads
from renewals.cadence.calendar import local_time
from renewals.cadence.query import LeadFilter
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt, Disposition, DispositionKind

__all__ = ["CampaignStats", "campaign_stats", "wins_today"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CampaignStats:
    """One campaign's panel numbers; seconds and counts as named, rates in percent."""

    campaign_id: str
    name: str
    mode: str
    status: str
    dial_level_cap: float
    abandon_cap_pct: float
    attempts_today: int
    answered_today: int  # a person answered (bridged to an agent, completed or abandoned)
    abandoned_30d: int
    live_answers_30d: int
    avg_talk_s: float | None  # today's connected calls, bridge to hang-up
    avg_wait_s: float | None  # today's answered calls, answer to bridge (the customer's wait)
    avg_ready_s: float | None = None  # today's spans of agents waiting for a call (ready)
    avg_wrap_s: float | None = None  # today's wrap-ups, ended ones
    avg_pause_s: float | None = None  # today's pauses, ended ones
    leads_ready: int  # due now, not leased by a runtime
    leads_today: int  # still due before today's calling hours end

    @property
    def answer_rate_pct(self) -> float:
        return 100.0 * self.answered_today / self.attempts_today if self.attempts_today else 0.0

    @property
    def abandon_30d_pct(self) -> float:
        if not self.live_answers_30d:
            return 0.0
        return 100.0 * self.abandoned_30d / self.live_answers_30d


def campaign_stats(
    session: Session, *, now: datetime, day_start: datetime, rules: CadenceRules
) -> list[CampaignStats]:
    """Every campaign, by id."""
    spans = _seat_spans(session, day_start)
    stats = []
    for campaign in session.scalars(select(Campaign).order_by(Campaign.id)):
        rolling = rolling_abandons(session, campaign.id, now=now)
        attempts, answered, talk, wait = _today(session, campaign.id, day_start)
        ready, today = _leads_left(session, campaign, now, rules)
        stats.append(
            CampaignStats(
                campaign_id=campaign.id, name=campaign.name, mode=campaign.mode.value,
                status=campaign.status.value, dial_level_cap=campaign.max_lines_per_agent,
                abandon_cap_pct=campaign.abandon_cap_pct, attempts_today=attempts,
                answered_today=answered, abandoned_30d=rolling.abandoned,
                live_answers_30d=rolling.live_answers, avg_talk_s=talk, avg_wait_s=wait,
                leads_ready=ready, leads_today=today,
                avg_ready_s=_mean(spans.get((campaign.id, SeatState.READY), [])),
                avg_wrap_s=_mean(spans.get((campaign.id, SeatState.WRAP_UP), [])),
                avg_pause_s=_mean(spans.get((campaign.id, SeatState.PAUSED), [])),
            )
        )  # fmt: skip
    return stats


def _today(
    session: Session, campaign_id: str, day_start: datetime
) -> tuple[int, int, float | None, float | None]:
    today = (ContactAttempt.campaign_id == campaign_id, ContactAttempt.started_at >= day_start)
    attempts = session.scalar(select(func.count()).where(*today)) or 0
    # A person answered: the answer was seen (a machine's is closed "machine", not counted).
    person = or_(
        ContactAttempt.outcome.in_((Outcome.COMPLETED.value, Outcome.ABANDONED.value)),
        ContactAttempt.bridged_at.is_not(None),
    )
    answered = session.scalar(select(func.count()).where(*today, person)) or 0
    spans = session.execute(
        select(ContactAttempt.answered_at, ContactAttempt.bridged_at, ContactAttempt.ended_at)
        .where(*today, ContactAttempt.bridged_at.is_not(None))
    ).tuples()  # fmt: skip
    talks, waits = [], []
    for answered_at, bridged_at, ended_at in spans:
        assert bridged_at is not None
        if ended_at is not None:
            talks.append((ended_at - bridged_at).total_seconds())
        if answered_at is not None:
            waits.append((bridged_at - answered_at).total_seconds())
    return attempts, answered, _mean(talks), _mean(waits)


def _seat_spans(session: Session, day_start: datetime) -> dict[tuple[str, SeatState], list[float]]:
    """Seconds each seat spent in each state today, by the campaign the state began in; a
    state still going on is not counted (its length is not known yet)."""
    rows = session.execute(
        select(SeatEvent.agent_id, SeatEvent.campaign_id, SeatEvent.state, SeatEvent.at)
        .where(SeatEvent.at >= day_start)
        .order_by(SeatEvent.agent_id, SeatEvent.at, SeatEvent.id)
    ).tuples()
    spans: dict[tuple[str, SeatState], list[float]] = {}
    last: tuple[str, str | None, SeatState, datetime] | None = None
    for agent_id, campaign_id, state, at in rows:
        if last is not None and last[0] == agent_id and last[1]:
            spans.setdefault((last[1], last[2]), []).append((at - last[3]).total_seconds())
        last = (agent_id, campaign_id, state, at)
    return spans


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _leads_left(
    session: Session, campaign: Campaign, now: datetime, rules: CadenceRules
) -> tuple[int, int]:
    where = LeadFilter(
        stages=tuple(campaign.filter_stages), regions=tuple(campaign.filter_regions),
        owner=campaign.filter_owner, unleased_at=now,
    )  # fmt: skip
    ready = len(find_due_leads(session, now, rules, where=where))
    # The last minute of today's calling hours: what is due then is still dialable today.
    local = local_time(now, rules.default_timezone)
    last = datetime.combine(local.date(), rules.calling_end, local.tzinfo) - timedelta(minutes=1)
    later = len(find_due_leads(session, last, rules, where=where)) if last > now else 0
    return ready, max(ready, later)


def wins_today(session: Session, *, day_start: datetime) -> dict[str, int]:
    """Renewals agreed since the business day began, by agent."""
    rows = session.execute(
        select(Disposition.agent, func.count())
        .where(Disposition.at >= day_start, Disposition.kind == DispositionKind.AGREED)
        .group_by(Disposition.agent)
    ).tuples()
    return dict(rows.all())
