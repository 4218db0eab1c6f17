"""compliance rollup rolled again: an answered call closed with its end unseen now counts as
abandoned (dialer.abandon_counting), so the days rolled before counted it out of the rate

The rollup is derived data: the days are rolled again from the attempts by the next report.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM compliance_day_calls")
    op.execute("DELETE FROM compliance_days")


def downgrade() -> None:
    # Rolled again by the next report under whichever rule the code then has.
    op.execute("DELETE FROM compliance_day_calls")
    op.execute("DELETE FROM compliance_days")
