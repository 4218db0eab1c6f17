"""Writing the supervisors' audit trail (one row per action, in the caller's transaction)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialer.floor.models import AuditOutcome, SupervisorAction

__all__ = ["recent_actions", "record_action"]


def record_action(
    session: Session,
    *,
    at: datetime,
    supervisor: str,
    action: str,
    outcome: AuditOutcome,
    campaign_id: str = "",
    agent_id: str = "",
    call_id: str = "",
    old_value: str = "",
    new_value: str = "",
    detail: str = "",
) -> SupervisorAction:
    """Add the row; texts longer than their columns are cut (an audit row is never refused)."""
    row = SupervisorAction(
        at=at, supervisor=supervisor[:40], action=action[:40], outcome=outcome,
        campaign_id=campaign_id[:40], agent_id=agent_id[:40], call_id=call_id[:64],
        old_value=old_value[:200], new_value=new_value[:200], detail=detail[:200],
    )  # fmt: skip
    session.add(row)
    return row


def recent_actions(session: Session, *, limit: int = 50) -> list[dict[str, str]]:
    """The newest audit rows first, as the supervisors' page lists them."""
    rows = session.scalars(
        select(SupervisorAction).order_by(SupervisorAction.id.desc()).limit(limit)
    )
    return [_row(r) for r in rows]


def _row(r: SupervisorAction) -> dict[str, str]:
    return {
        "at": r.at.isoformat(), "supervisor": r.supervisor, "action": r.action,
        "outcome": r.outcome.value, "campaign_id": r.campaign_id, "agent_id": r.agent_id,
        "call_id": r.call_id, "old_value": r.old_value, "new_value": r.new_value,
        "detail": r.detail,
    }  # fmt: skip
