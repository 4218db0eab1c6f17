"""Scoring a call on a scorecard, the agent's answer (acknowledge or dispute), calibration.

A dispute sends the call back to the queue for a reviewer; the new score replaces the disputed
one (which is kept, marked rescored). Calibration reviews are several reviewers scoring one
call to see how far apart they are; agents never see them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordings.errors import QaError
from recordings.models import Recording
from recordings.qa.models import (
    QaQueueEntry,
    QaReview,
    QaReviewAnswer,
    ReviewStatus,
    ScorecardItem,
    ScorecardTemplate,
)

__all__ = [
    "Answer",
    "Spread",
    "acknowledge",
    "calibration_spread",
    "create_template",
    "dispute",
    "score_call",
    "set_template_active",
]


@dataclass(frozen=True)
class Answer:
    points: int
    failed: bool = False  # an instant-fail item the agent got wrong
    comment: str = ""


@dataclass(frozen=True)
class Spread:
    reviewers: list[str]
    scores: list[int]
    low: int
    high: int
    stdev: float
    items_disagreeing: list[int]  # item ids scored differently by the reviewers


def create_template(
    session: Session,
    *,
    name: str,
    passing_score: int,
    items: list[tuple[str, int, bool]],
    by: str,
    now: datetime,
) -> ScorecardTemplate:
    """A template from ``(label, points, instant_fail)`` items, in order."""
    if not items or any(points < 0 for _, points, _ in items):
        raise QaError(f"template {name!r}: needs items with points >= 0")
    if not 0 <= passing_score <= sum(points for _, points, _ in items):
        raise QaError(f"template {name!r}: passing score {passing_score} out of range")
    template = ScorecardTemplate(
        name=name,
        passing_score=passing_score,
        created_by=by,
        created_at=now,
        items=[
            ScorecardItem(position=i, label=label, points=points, instant_fail=fail)
            for i, (label, points, fail) in enumerate(items)
        ],
    )
    session.add(template)
    session.flush()
    return template


def set_template_active(session: Session, template_id: int, active: bool) -> ScorecardTemplate:
    """Offer a template to reviewers or withdraw it (reviews keep theirs either way)."""
    template = session.get(ScorecardTemplate, template_id)
    if template is None:
        raise QaError(f"no template {template_id}")
    template.active = active
    return template


def _entry_held(session: Session, entry_id: int, reviewer: str) -> QaQueueEntry:
    entry = session.get(QaQueueEntry, entry_id)
    if entry is None or entry.claimed_by != reviewer or entry.done_at is not None:
        raise QaError(f"queue entry {entry_id} is not claimed by {reviewer}")
    return entry


def score_call(
    session: Session,
    *,
    recording_id: int,
    template_id: int,
    reviewer: str,
    answers: dict[int, Answer],
    comment: str,
    now: datetime,
    entry_id: int | None = None,
    calibration: bool = False,
) -> QaReview:
    """Store a review; ``entry_id`` is the queue entry the reviewer claimed (if from the queue)."""
    template = session.get(ScorecardTemplate, template_id)
    recording = session.get(Recording, recording_id)
    if template is None or recording is None:
        raise QaError(f"no template {template_id} or recording {recording_id}")
    entry = _entry_held(session, entry_id, reviewer) if entry_id is not None else None
    items = {item.id: item for item in template.items}
    if set(answers) != set(items):
        raise QaError(f"answers must cover exactly the items {sorted(items)}")
    for item_id, answer in answers.items():
        if not 0 <= answer.points <= items[item_id].points:
            raise QaError(f"item {item_id}: {answer.points} not in 0..{items[item_id].points}")
    score = sum(a.points for a in answers.values())
    instant = any(a.failed and items[i].instant_fail for i, a in answers.items())
    review = QaReview(
        recording_id=recording_id,
        template_id=template_id,
        reviewer=reviewer,
        agent=recording.agent,
        calibration=calibration,
        status=ReviewStatus.SCORED,
        score=score,
        max_score=sum(i.points for i in items.values()),
        passed=not instant and score >= template.passing_score,
        instant_failed=instant,
        comment=comment,
        scored_at=now,
        answers=[
            QaReviewAnswer(
                item_id=i,
                points=a.points,
                comment=a.comment,
                failed=a.failed and items[i].instant_fail,
            )
            for i, a in answers.items()
        ],
    )
    session.add(review)
    if entry is not None:
        entry.done_at = now
        if entry.disputed_review_id is not None:
            disputed = session.get(QaReview, entry.disputed_review_id)
            assert disputed is not None
            disputed.status = ReviewStatus.RESCORED
    session.flush()
    return review


def _agents_review(session: Session, review_id: int, agent: str) -> QaReview:
    review = session.get(QaReview, review_id)
    if review is None or review.calibration or review.agent != agent:
        raise QaError(f"not a review of {agent}'s call", review_id=review_id)
    if review.status is not ReviewStatus.SCORED:
        raise QaError(f"already {review.status.value}", review_id=review_id)
    return review


def acknowledge(session: Session, review_id: int, *, agent: str, now: datetime) -> QaReview:
    review = _agents_review(session, review_id, agent)
    review.status, review.responded_at = ReviewStatus.ACKNOWLEDGED, now
    return review


def dispute(
    session: Session, review_id: int, *, agent: str, comment: str, now: datetime
) -> QaQueueEntry:
    """The agent disputes the score: the call goes back to the queue for a reviewer."""
    if not comment.strip():
        raise QaError("a dispute needs the agent's reason", review_id=review_id)
    review = _agents_review(session, review_id, agent)
    review.status, review.responded_at, review.agent_comment = ReviewStatus.DISPUTED, now, comment
    entry = QaQueueEntry(
        recording_id=review.recording_id,
        reason=f"dispute:{review.id}",
        disputed_review_id=review.id,
        queued_at=now,
    )
    session.add(entry)
    session.flush()
    return entry


def calibration_spread(session: Session, recording_id: int, template_id: int) -> Spread:
    """How far the calibration reviews of one call on one template are from each other."""
    reviews = session.scalars(
        select(QaReview)
        .where(
            QaReview.recording_id == recording_id,
            QaReview.template_id == template_id,
            QaReview.calibration.is_(True),
        )
        .order_by(QaReview.id)
    ).all()
    if not reviews:
        raise QaError(f"no calibration reviews of recording {recording_id}")
    scores = [r.score for r in reviews]
    per_item: dict[int, set[int]] = {}
    for review in reviews:
        for answer in review.answers:
            per_item.setdefault(answer.item_id, set()).add(answer.points)
    return Spread(
        reviewers=[r.reviewer for r in reviews],
        scores=scores,
        low=min(scores),
        high=max(scores),
        stdev=statistics.pstdev(scores),
        items_disagreeing=sorted(i for i, points in per_item.items() if len(points) > 1),
    )
