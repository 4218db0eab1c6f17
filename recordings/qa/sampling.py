"""The QA queue: calls sampled by outcome, each claimed by one reviewer at a time.

Sampling is deterministic (a hash of the call id against the rule's percentage), so re-running
registration never samples a call twice or differently. A claim is one conditional UPDATE
(``WHERE claimed_by IS NULL``): of two reviewers racing for an entry, exactly one gets it, on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from recordings.models import Recording
from recordings.qa.models import QaQueueEntry, QaSamplingRule

__all__ = ["claim_entry", "claim_next", "in_sample", "release", "sample_for_review"]

log = logging.getLogger(__name__)


def in_sample(call_id: str, rate_pct: int) -> bool:
    """Whether ``call_id`` falls in a ``rate_pct`` % sample (stable across runs and hosts)."""
    bucket = int.from_bytes(hashlib.sha256(call_id.encode()).digest()[:4], "big") % 100
    return bucket < rate_pct


def sample_for_review(session: Session, recording: Recording) -> None:
    """Queue ``recording`` for review if its outcome's sampling rule picks it."""
    if recording.outcome is None:
        return
    rate = session.scalar(
        select(QaSamplingRule.rate_pct).where(QaSamplingRule.outcome == recording.outcome)
    )
    if rate is None or not in_sample(recording.call_id, rate):
        return
    session.add(
        QaQueueEntry(
            recording_id=recording.id,
            reason=recording.outcome,
            queued_at=recording.registered_at,
        )
    )
    log.info("recording %s queued for QA (%s)", recording.id, recording.outcome)


def claim_next(session: Session, reviewer: str, now: datetime) -> QaQueueEntry | None:
    """The oldest open entry, now claimed by ``reviewer``; None when the queue is empty."""
    mine = session.scalar(
        select(QaQueueEntry).where(
            QaQueueEntry.claimed_by == reviewer, QaQueueEntry.done_at.is_(None)
        )
    )
    if mine is not None:
        return mine  # one call at a time: finish (or release) the one you hold
    candidates = session.scalars(
        select(QaQueueEntry.id)
        .where(QaQueueEntry.claimed_by.is_(None), QaQueueEntry.done_at.is_(None))
        .order_by(QaQueueEntry.queued_at, QaQueueEntry.id)
        .limit(20)
    ).all()
    for entry_id in candidates:
        result = session.execute(
            update(QaQueueEntry)
            .where(QaQueueEntry.id == entry_id, QaQueueEntry.claimed_by.is_(None))
            .values(claimed_by=reviewer, claimed_at=now)
        )
        assert isinstance(result, CursorResult)
        if result.rowcount == 1:
            return session.get(QaQueueEntry, entry_id, populate_existing=True)
    return None


def claim_entry(session: Session, entry_id: int, reviewer: str, now: datetime) -> bool:
    """Claim this open entry for ``reviewer`` (False if another reviewer holds it, or it is
    done, or ``reviewer`` already holds another one: one call at a time)."""
    holding = session.scalar(
        select(QaQueueEntry.id).where(
            QaQueueEntry.claimed_by == reviewer,
            QaQueueEntry.done_at.is_(None),
            QaQueueEntry.id != entry_id,
        )
    )
    if holding is not None:
        return False
    result = session.execute(
        update(QaQueueEntry)
        .where(
            QaQueueEntry.id == entry_id,
            QaQueueEntry.done_at.is_(None),
            (QaQueueEntry.claimed_by.is_(None)) | (QaQueueEntry.claimed_by == reviewer),
        )
        .values(claimed_by=reviewer, claimed_at=now)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def release(session: Session, entry_id: int, reviewer: str) -> bool:
    """Give a claimed entry back to the queue (only its holder can)."""
    result = session.execute(
        update(QaQueueEntry)
        .where(
            QaQueueEntry.id == entry_id,
            QaQueueEntry.claimed_by == reviewer,
            QaQueueEntry.done_at.is_(None),
        )
        .values(claimed_by=None, claimed_at=None)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1
