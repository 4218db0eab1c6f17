"""Tables of QA review: scorecard templates, the review queue, reviews, automatic checks."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renewals.models import Base
from renewals.sqltypes import UtcDateTime, value_enum

__all__ = [
    "CheckKind",
    "QaCheckResult",
    "QaCheckRule",
    "QaQueueEntry",
    "QaReview",
    "QaReviewAnswer",
    "QaSamplingRule",
    "ReviewStatus",
    "ScorecardItem",
    "ScorecardTemplate",
]

UTC_TS = UtcDateTime()


class ReviewStatus(enum.StrEnum):
    SCORED = "scored"  # waiting for the agent
    ACKNOWLEDGED = "acknowledged"
    DISPUTED = "disputed"  # back in the queue for a reviewer
    RESCORED = "rescored"  # replaced by a later review of the dispute


class CheckKind(enum.StrEnum):
    GREETING = "greeting"  # params: phrases (any), company (all of), within_s
    FORBIDDEN = "forbidden"  # params: phrases
    TALK_SHARE = "talk_share"  # params: min_pct, max_pct (agent's share of talk)
    LONGEST_SILENCE = "longest_silence"  # params: max_s


class ScorecardTemplate(Base):
    """A checklist edited by admins; reviews keep the template they were scored with."""

    __tablename__ = "scorecard_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    passing_score: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTC_TS)

    items: Mapped[list[ScorecardItem]] = relationship(
        cascade="all, delete-orphan", order_by="ScorecardItem.position"
    )


class ScorecardItem(Base):
    __tablename__ = "scorecard_items"
    __table_args__ = (UniqueConstraint("template_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("scorecard_templates.id"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(Integer)
    instant_fail: Mapped[bool] = mapped_column(Boolean, default=False)


class QaSamplingRule(Base):
    """Which calls enter the QA queue: ``rate_pct`` of the recordings with this outcome."""

    __tablename__ = "qa_sampling_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome: Mapped[str] = mapped_column(String(24), unique=True)
    rate_pct: Mapped[int] = mapped_column(Integer)


class QaQueueEntry(Base):
    """A call waiting for a reviewer; claimed by one reviewer at a time."""

    __tablename__ = "qa_queue"
    __table_args__ = (UniqueConstraint("recording_id", "reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))  # the sampled outcome, or dispute:<review>
    disputed_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("qa_reviews.id"), nullable=True
    )
    queued_at: Mapped[datetime] = mapped_column(UTC_TS)
    claimed_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)


class QaReview(Base):
    """One reviewer's scoring of one call; calibration reviews are compared, not sent to agents."""

    __tablename__ = "qa_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("scorecard_templates.id"))
    reviewer: Mapped[str] = mapped_column(String(40))
    agent: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    calibration: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ReviewStatus] = mapped_column(value_enum(ReviewStatus, "review_status"))
    score: Mapped[int] = mapped_column(Integer)
    max_score: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean)
    instant_failed: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime] = mapped_column(UTC_TS)
    agent_comment: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None] = mapped_column(UTC_TS, nullable=True)

    answers: Mapped[list[QaReviewAnswer]] = relationship(cascade="all, delete-orphan")


class QaReviewAnswer(Base):
    __tablename__ = "qa_review_answers"

    review_id: Mapped[int] = mapped_column(ForeignKey("qa_reviews.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("scorecard_items.id"), primary_key=True)
    points: Mapped[int] = mapped_column(Integer)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)  # an instant-fail item missed
    comment: Mapped[str] = mapped_column(Text, default="")


class QaCheckRule(Base):
    """An automatic check as data: its kind and parameters (JSON), switched on or off."""

    __tablename__ = "qa_check_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[CheckKind] = mapped_column(value_enum(CheckKind, "check_kind"))
    params: Mapped[dict[str, object]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class QaCheckResult(Base):
    __tablename__ = "qa_check_results"

    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True
    )
    rule_id: Mapped[int] = mapped_column(ForeignKey("qa_check_rules.id"), primary_key=True)
    passed: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(UTC_TS)
