"""reports: agents' teams over time, daily seat rollups, and the indexes the reports filter by

Revision ID: 0007
Revises: 0008
Create Date: 2026-12-02 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import renewals.sqltypes

revision: str = "0007"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (
    ("seat_events", "ix_seat_events_at", ["at"]),
    ("contact_attempts", "ix_contact_attempts_bridged_at", ["bridged_at"]),
    ("contact_attempts", "ix_contact_attempts_lead_bridged", ["lead_id", "bridged_at"]),
    ("contact_attempts", "ix_contact_attempts_campaign_started", ["campaign_id", "started_at"]),
    ("dispositions", "ix_dispositions_at", ["at"]),
    ("quotes", "ix_quotes_created_at", ["created_at"]),
)


def upgrade() -> None:
    op.create_table(
        "agent_teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.String(length=40), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("starts_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column("ends_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_teams")),
    )
    op.create_index("ix_agent_teams_agent_starts", "agent_teams", ["agent_id", "starts_at"])
    op.create_index(op.f("ix_agent_teams_team"), "agent_teams", ["team"])
    op.create_table(
        "rolled_days",
        sa.Column("zone", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rolled_at", renewals.sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("zone", "day", name=op.f("pk_rolled_days")),
    )
    op.create_table(
        "seat_day_totals",
        sa.Column("zone", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("agent_id", sa.String(length=40), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("offered", sa.Integer(), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.Column("wins", sa.Integer(), nullable=False),
        sa.Column("premium_cents", sa.BigInteger(), nullable=False),
        sa.Column("gifts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "zone", "day", "agent_id", "team", "state", "reason", name=op.f("pk_seat_day_totals")
        ),
    )
    for table, name, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for table, name, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("seat_day_totals")
    op.drop_table("rolled_days")
    op.drop_index(op.f("ix_agent_teams_team"), table_name="agent_teams")
    op.drop_index("ix_agent_teams_agent_starts", table_name="agent_teams")
    op.drop_table("agent_teams")
