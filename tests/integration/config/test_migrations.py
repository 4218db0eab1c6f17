"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from config.db import create_db_engine
from config.migrate import upgrade
from migrations.env_filters import include_object
from migrations.metadata import target_metadata
from renewals.models import Customer, Policy


def test_upgrade_creates_every_table_and_matches_the_models(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(target_metadata.tables) <= tables
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_object}
            )
            diff = compare_metadata(ctx, target_metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        upgrade(engine)  # a second run is a no-op
    finally:
        engine.dispose()


def _book_at_0001(engine: Engine) -> None:
    """A customer with a car, a policy and three coverages, written as revision 0001 stored them."""
    upgrade(engine, "0001")
    now = "2026-01-01 00:00:00.000000"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customers (id, name, phone, region, timezone, tenure_years,"
                " created_at, updated_at) VALUES (1, '张三', '13800138000', '', 'Asia/Shanghai',"
                " 2, :now, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO vehicles (id, customer_id, plate, vin, model)"
                " VALUES (1, 1, '沪A12345', '', '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO policies (id, vehicle_id, insurer, commercial_policy_no,"
                " compulsory_policy_no, end_date, commercial_premium_cents,"
                " compulsory_premium_cents, vessel_tax_cents, claim_count, claim_amount_cents)"
                " VALUES (1, 1, '', '', '', '2026-03-01', 1, 1, 0, 0, 0)"
            )
        )
        # Inserted out of code order: the old ids carry the book's order.
        for id_, code, premium in ((7, "车损险", 300), (8, "三者险", 100), (9, "司机险", 20)):
            conn.execute(
                text(
                    "INSERT INTO coverages (id, policy_id, code, insured_amount_cents,"
                    " premium_cents) VALUES (:id, 1, :code, 0, :premium)"
                ),
                {"id": id_, "code": code, "premium": premium},
            )


def test_upgrade_from_0001_keeps_the_book_and_the_coverage_order(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        _book_at_0001(engine)
        upgrade(engine)
        with Session(engine) as session:
            policy = session.get(Policy, 1)
            assert policy is not None
            lines = [(c.code, c.position, c.premium_cents) for c in policy.coverages]
            customer = session.scalars(select(Customer)).one()
        assert lines == [("车损险", 0, 300), ("三者险", 1, 100), ("司机险", 2, 20)]
        assert (customer.name, customer.phone) == ("张三", "13800138000")
    finally:
        engine.dispose()


def test_a_migration_failing_half_way_leaves_sqlite_as_it_was(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'xubao.db'}")
    try:
        _book_at_0001(engine)
        with engine.begin() as conn:  # batch mode's scratch table for customers, already taken
            conn.execute(text("CREATE TABLE _alembic_tmp_customers (id INTEGER)"))
        before = _schema(engine)
        with pytest.raises(OperationalError, match="_alembic_tmp_customers already exists"):
            upgrade(engine)  # fails after coverages were rebuilt
        assert _schema(engine) == before
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
            assert conn.execute(text("SELECT count(*) FROM coverages")).scalar() == 3
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1  # back on
    finally:
        engine.dispose()


def _schema(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master ORDER BY name"))
        return [(name, sql) for name, sql in rows]
