"""What the QA pages show, read in one place: call lists, one call with its transcript in turns,
its checks, hold, queue entry and reviews, and an agent's own reviews.

Plain dataclasses out, so the pages never run a query while they render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from recordings.errors import RecordingNotFound
from recordings.models import QaHold, Recording, Speaker, Transcript
from recordings.qa.holds import active_hold
from recordings.qa.models import (
    QaCheckResult,
    QaCheckRule,
    QaQueueEntry,
    QaReview,
    ScorecardTemplate,
)
from recordings.search import CallFilter, find_calls

__all__ = [
    "CallRow",
    "CallView",
    "CheckView",
    "FilterChoices",
    "QueueView",
    "Turn",
    "WordView",
    "call_rows",
    "call_view",
    "filter_choices",
    "queue_view",
    "reviews_of_agent",
    "templates",
    "turns",
]

TURN_GAP_S = 1.5  # a pause longer than this starts a new turn of the same speaker


@dataclass(frozen=True)
class CallRow:
    id: int
    call_id: str
    agent: str | None
    campaign_id: str
    outcome: str | None
    started_at: datetime
    duration_s: float
    transcribed: bool
    held: bool
    reviews: int


@dataclass(frozen=True)
class FilterChoices:
    agents: list[str]
    campaigns: list[str]
    outcomes: list[str]


@dataclass(frozen=True)
class WordView:
    word: str
    start: float  # seconds from the start of the call
    end: float
    conf: float


@dataclass(frozen=True)
class Turn:
    speaker: Speaker
    start: float
    end: float
    words: list[WordView]


@dataclass(frozen=True)
class CheckView:
    name: str
    kind: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class CallView:
    recording: Recording
    transcript: Transcript | None
    turns: list[Turn]
    checks: list[CheckView]
    hold: QaHold | None
    entry: QaQueueEntry | None  # the open queue entry of this call, if any
    reviews: list[QaReview]


@dataclass(frozen=True)
class QueueView:
    waiting: int  # open entries nobody holds
    mine: QaQueueEntry | None  # the entry this reviewer holds


def call_rows(session: Session, f: CallFilter, *, limit: int = 200) -> list[CallRow]:
    found = find_calls(session, f, limit=limit)
    ids = [r.id for r in found]
    transcribed = set(
        session.scalars(select(Transcript.recording_id).where(Transcript.recording_id.in_(ids)))
    )
    held = set(
        session.scalars(
            select(QaHold.recording_id).where(
                QaHold.recording_id.in_(ids), QaHold.released_at.is_(None)
            )
        )
    )
    reviews: dict[int, int] = {
        rid: n
        for rid, n in session.execute(
            select(QaReview.recording_id, func.count())
            .where(QaReview.recording_id.in_(ids))
            .group_by(QaReview.recording_id)
        ).tuples()
    }
    return [
        CallRow(
            id=r.id,
            call_id=r.call_id,
            agent=r.agent,
            campaign_id=r.campaign_id,
            outcome=r.outcome,
            started_at=r.call_started_at,
            duration_s=r.duration_ms / 1000,
            transcribed=r.id in transcribed,
            held=r.id in held,
            reviews=int(reviews.get(r.id, 0)),
        )
        for r in found
    ]


def filter_choices(session: Session) -> FilterChoices:
    def distinct(
        column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
    ) -> list[str]:
        rows = session.scalars(select(column).distinct().where(column.is_not(None)))
        return sorted(str(v) for v in rows)

    return FilterChoices(
        agents=distinct(Recording.agent),
        campaigns=distinct(Recording.campaign_id),
        outcomes=distinct(Recording.outcome),
    )


def turns(transcript: Transcript | None, gap_s: float = TURN_GAP_S) -> list[Turn]:
    """Both speakers' words in time order, grouped into turns (same speaker, short pauses)."""
    if transcript is None:
        return []
    words = sorted(
        (
            (float(w["start"]), side.speaker, WordView(str(w["word"]), float(w["start"]),  # type: ignore[arg-type]
                                                       float(w["end"]), float(w["conf"])))  # type: ignore[arg-type]
            for side in transcript.speakers
            for w in side.words
        ),
        key=lambda t: (t[0], t[1].value),
    )  # fmt: skip
    out: list[Turn] = []
    for start, speaker, word in words:
        last = out[-1] if out else None
        if last is not None and last.speaker is speaker and start - last.end <= gap_s:
            last.words.append(word)
            out[-1] = Turn(speaker, last.start, max(last.end, word.end), last.words)
        else:
            out.append(Turn(speaker, word.start, word.end, [word]))
    return out


def call_view(session: Session, recording_id: int) -> CallView:
    rec = session.get(Recording, recording_id)
    if rec is None:
        raise RecordingNotFound(recording_id)
    transcript = session.get(Transcript, recording_id)
    checks = [
        CheckView(rule.name, rule.kind.value, result.passed, result.detail)
        for result, rule in session.execute(
            select(QaCheckResult, QaCheckRule)
            .join(QaCheckRule, QaCheckRule.id == QaCheckResult.rule_id)
            .where(QaCheckResult.recording_id == recording_id)
            .order_by(QaCheckRule.name)
        ).tuples()
    ]
    entry = session.scalar(
        select(QaQueueEntry)
        .where(QaQueueEntry.recording_id == recording_id, QaQueueEntry.done_at.is_(None))
        .order_by(QaQueueEntry.id)
        .limit(1)
    )
    reviews = list(
        session.scalars(
            select(QaReview).where(QaReview.recording_id == recording_id).order_by(QaReview.id)
        )
    )
    return CallView(
        recording=rec,
        transcript=transcript,
        turns=turns(transcript),
        checks=checks,
        hold=active_hold(session, recording_id),
        entry=entry,
        reviews=reviews,
    )


def queue_view(session: Session, reviewer: str) -> QueueView:
    waiting = session.scalar(
        select(func.count()).where(
            QaQueueEntry.claimed_by.is_(None), QaQueueEntry.done_at.is_(None)
        )
    )
    mine = session.scalar(
        select(QaQueueEntry).where(
            QaQueueEntry.claimed_by == reviewer, QaQueueEntry.done_at.is_(None)
        )
    )
    return QueueView(waiting=int(waiting or 0), mine=mine)


def templates(session: Session, *, active_only: bool) -> list[ScorecardTemplate]:
    stmt = select(ScorecardTemplate).order_by(ScorecardTemplate.name)
    if active_only:
        stmt = stmt.where(ScorecardTemplate.active.is_(True))
    return list(session.scalars(stmt))


def reviews_of_agent(session: Session, agent_id: str) -> list[QaReview]:
    """An agent's reviews (never calibration ones), newest first."""
    return list(
        session.scalars(
            select(QaReview)
            .where(QaReview.agent == agent_id, QaReview.calibration.is_(False))
            .order_by(QaReview.scored_at.desc(), QaReview.id.desc())
        )
    )
