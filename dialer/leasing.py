"""Exclusive, expiring leases on leads, so that no lead is dialed twice at once.

A runtime leases a lead before it originates and releases it when the attempt is stored. On
PostgreSQL candidates are locked with ``FOR UPDATE SKIP LOCKED``, so two runtimes picking at the
same moment never block each other nor take the same lead; SQLite has one writer at a time, so
its transaction is already exclusive. A lease whose holder died expires after its TTL and the
lead becomes leasable again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from renewals.models import Lead, LeadStatus

__all__ = ["lease_leads", "release_lease", "renew_leases"]


def lease_leads(
    session: Session,
    candidate_ids: Sequence[int],
    *,
    owner: str,
    now: datetime,
    count: int,
    ttl_s: float,
) -> list[int]:
    """Lease up to ``count`` of ``candidate_ids`` (kept in their priority order) for ``owner``.

    Only open leads with no live lease are taken. Call it first in a fresh transaction (SQLite
    cannot upgrade a read transaction to a write one once another writer committed); commit to
    make the leases visible, roll back and nothing was leased.
    """
    if count <= 0 or not candidate_ids:
        return []
    is_free = (
        Lead.status == LeadStatus.OPEN,
        or_(Lead.lease_owner.is_(None), Lead.lease_expires_at <= now),
    )
    rank = case({lead_id: i for i, lead_id in enumerate(candidate_ids)}, value=Lead.id)
    # One statement: SQLite takes its write lock at once (no read-then-upgrade race), and on
    # PostgreSQL the locked subquery skips rows another runtime is leasing right now. The outer
    # WHERE repeats the free test so a row changed under us is re-checked, never stolen.
    # MATERIALIZED: PostgreSQL may otherwise re-run a LIMITed subquery per row and take more.
    pick = (
        select(Lead.id)
        .where(Lead.id.in_(candidate_ids), *is_free)
        .order_by(rank)
        .limit(count)
        .with_for_update(skip_locked=True)
        .cte("pick")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    leased = session.scalars(
        update(Lead)
        .where(Lead.id.in_(select(pick.c.id)), *is_free)
        .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=ttl_s))
        .returning(Lead.id)
    ).all()
    order = {lead_id: i for i, lead_id in enumerate(candidate_ids)}
    return sorted(leased, key=order.__getitem__)


def release_lease(session: Session, lead_id: int, *, owner: str) -> bool:
    """Give the lease back; False when ``owner`` no longer held it (it expired and moved on)."""
    result = session.execute(
        update(Lead)
        .where(Lead.id == lead_id, Lead.lease_owner == owner)
        .values(lease_owner=None, lease_expires_at=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def renew_leases(
    session: Session, lead_ids: Sequence[int], *, owner: str, now: datetime, ttl_s: float
) -> int:
    """Extend the leases ``owner`` still holds (a heartbeat for calls that are still up)."""
    if not lead_ids:
        return 0
    result = session.execute(
        update(Lead)
        .where(Lead.id.in_(lead_ids), Lead.lease_owner == owner)
        .values(lease_expires_at=now + timedelta(seconds=ttl_s))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
