"""Writing the supervisors' audit trail (one row per action, in the caller's transaction)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dialer.floor.models import AuditOutcome, SupervisorAction

__all__ = ["record_action"]


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
