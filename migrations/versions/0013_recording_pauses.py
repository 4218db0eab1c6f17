"""recording pauses (agent call controls, issue 11)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import renewals.sqltypes

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recording_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("agent_id", sa.String(length=40), nullable=False),
        sa.Column("started_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=12), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recording_pauses")),
    )
    op.create_index(
        op.f("ix_recording_pauses_call_id"), "recording_pauses", ["call_id"], unique=False
    )
    op.create_index(
        op.f("ix_recording_pauses_agent_id"), "recording_pauses", ["agent_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_recording_pauses_agent_id"), table_name="recording_pauses")
    op.drop_index(op.f("ix_recording_pauses_call_id"), table_name="recording_pauses")
    op.drop_table("recording_pauses")
