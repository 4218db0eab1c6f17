"""leaner book indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:59:54.276085
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Coverages: rebuilt keyed by (policy, code), WITHOUT ROWID on SQLite, with the book's
    # order kept in ``position`` (it was the order of the old ids).
    op.rename_table("coverages", "coverages_old")
    if op.get_context().dialect.name == "postgresql":  # index names are schema-wide there
        op.drop_constraint("uq_coverages_policy_code", "coverages_old", type_="unique")
        op.drop_constraint("pk_coverages", "coverages_old", type_="primary")
    op.create_table(
        "coverages",
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("insured_amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("premium_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policies.id"],
            name=op.f("fk_coverages_policy_id_policies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("policy_id", "code", name=op.f("pk_coverages")),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO coverages (policy_id, code, position, insured_amount_cents, premium_cents) "
        "SELECT policy_id, code, ROW_NUMBER() OVER (PARTITION BY policy_id ORDER BY id) - 1, "
        "insured_amount_cents, premium_cents FROM coverages_old"
    )
    op.drop_table("coverages_old")

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_phone"))
        batch_op.drop_constraint(batch_op.f("uq_customers_name_phone"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_customers_phone_name"), ["phone", "name"])

    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policies_vehicle_id"))


def downgrade() -> None:
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policies_vehicle_id"), ["vehicle_id"], unique=False)

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_customers_phone_name"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_customers_name_phone"), ["name", "phone"])
        batch_op.create_index(batch_op.f("ix_customers_phone"), ["phone"], unique=False)

    op.rename_table("coverages", "coverages_new")
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint("pk_coverages", "coverages_new", type_="primary")
    op.create_table(
        "coverages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("insured_amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("premium_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policies.id"],
            name=op.f("fk_coverages_policy_id_policies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverages")),
        sa.UniqueConstraint("policy_id", "code", name=op.f("uq_coverages_policy_code")),
    )
    op.execute(
        "INSERT INTO coverages (policy_id, code, insured_amount_cents, premium_cents) "
        "SELECT policy_id, code, insured_amount_cents, premium_cents FROM coverages_new "
        "ORDER BY policy_id, position"
    )
    op.drop_table("coverages_new")
