"""ivr sessions

Revision ID: 0009
Revises: 0003
Create Date: 2026-12-02 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import renewals.sqltypes

revision: str = "0009"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ivr_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("flow", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("started_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("callback_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column("transfer_to", sa.String(length=80), nullable=True),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("caller_hung_up", sa.Boolean(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_ivr_sessions_lead_id_leads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ivr_sessions")),
        sa.UniqueConstraint("call_id", name=op.f("uq_ivr_sessions_call_id")),
    )
    with op.batch_alter_table("ivr_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ivr_sessions_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ivr_sessions_started_at"), ["started_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ivr_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ivr_sessions_started_at"))
        batch_op.drop_index(batch_op.f("ix_ivr_sessions_lead_id"))
    op.drop_table("ivr_sessions")
