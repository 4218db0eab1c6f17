"""supervisor actions: the audit trail of the floor

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-02 15:00:00

Every listen, whisper and barge (and later every campaign change) a supervisor makes, with
its outcome: done, refused by our rules, or failed in the telephony backend.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from renewals.sqltypes import UtcDateTime

revision: str = "0008"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervisor_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("supervisor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "done",
                "refused",
                "failed",
                name="audit_outcome",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("agent_id", sa.String(length=40), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.String(length=200), nullable=False),
        sa.Column("new_value", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor_actions")),
    )
    op.create_index("ix_supervisor_actions_at", "supervisor_actions", ["at"])
    op.create_index(op.f("ix_supervisor_actions_supervisor"), "supervisor_actions", ["supervisor"])


def downgrade() -> None:
    op.drop_index(op.f("ix_supervisor_actions_supervisor"), table_name="supervisor_actions")
    op.drop_index("ix_supervisor_actions_at", table_name="supervisor_actions")
    op.drop_table("supervisor_actions")
