"""seat heartbeats, opt-outs tied to their call, missing recordings marked

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 14:30:00

A seat carries the time its agent was last heard from; seats not heard from within the lapse
time are logged out, so a runtime never dials for agents who are not there. Existing seats get
null (never heard): they count as lapsed until their agent logs in again.

A do-not-call entry made by a customer's opt-out during a call names that call, so the
compliance report can count each campaign's opt-outs. An attempt whose recording file was not
there when the call ended is marked.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from renewals.sqltypes import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("seats") as batch:
        batch.add_column(sa.Column("heard_at", UtcDateTime(), nullable=True))
    with op.batch_alter_table("do_not_call") as batch:
        batch.add_column(sa.Column("call_id", sa.String(length=64), nullable=True))
    with op.batch_alter_table("contact_attempts") as batch:
        batch.add_column(
            sa.Column("recording_missing", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("contact_attempts") as batch:
        batch.drop_column("recording_missing")
    with op.batch_alter_table("do_not_call") as batch:
        batch.drop_column("call_id")
    with op.batch_alter_table("seats") as batch:
        batch.drop_column("heard_at")
