"""compliance rollup: each closed day's abandon counts and offending calls, per campaign

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import renewals.sqltypes

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "compliance_days",
        sa.Column("zone", sa.String(length=40), nullable=False),
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("window", sa.String(length=20), nullable=False),
        sa.Column("rolled_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("live_answers", sa.Integer(), nullable=False),
        sa.Column("abandoned", sa.Integer(), nullable=False),
        sa.Column("customer_hung_up", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("zone", "campaign_id", "day", name=op.f("pk_compliance_days")),
    )
    op.create_table(
        "compliance_day_calls",
        sa.Column("zone", sa.String(length=40), nullable=False),
        sa.Column("campaign_id", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "zone", "campaign_id", "day", "kind", "call_id", name=op.f("pk_compliance_day_calls")
        ),
    )


def downgrade() -> None:
    op.drop_table("compliance_day_calls")
    op.drop_table("compliance_days")
