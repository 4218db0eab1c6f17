"""sticky callbacks and the agent of a do-not-call entry

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("callback_agent", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_leads_callback_agent"), ["callback_agent"])
    with op.batch_alter_table("do_not_call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("do_not_call", schema=None) as batch_op:
        batch_op.drop_column("agent")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leads_callback_agent"))
        batch_op.drop_column("callback_agent")
