"""The supervisors' audit trail: every action on the floor, who, when, on what, and how it ended.

On the renewals metadata, like every table, so one Alembic history covers the schema.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from renewals.models import Base
from renewals.sqltypes import UtcDateTime, value_enum

__all__ = ["AuditOutcome", "SupervisorAction"]


class AuditOutcome(enum.StrEnum):
    DONE = "done"
    REFUSED = "refused"  # our rules said no (the agent was not on a call, …)
    FAILED = "failed"  # the telephony backend could not do it


class SupervisorAction(Base):
    """One supervisor action: ``action`` names it (``spy.listen``, ``campaign.status``, …);
    ``old_value``/``new_value`` hold a setting's change; ``detail`` why it was refused or failed.
    """

    __tablename__ = "supervisor_actions"
    __table_args__ = (Index("ix_supervisor_actions_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    supervisor: Mapped[str] = mapped_column(String(40), index=True)
    action: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[AuditOutcome] = mapped_column(value_enum(AuditOutcome, "audit_outcome"))
    campaign_id: Mapped[str] = mapped_column(String(40), default="")
    agent_id: Mapped[str] = mapped_column(String(40), default="")
    call_id: Mapped[str] = mapped_column(String(64), default="")
    old_value: Mapped[str] = mapped_column(String(200), default="")
    new_value: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(200), default="")
