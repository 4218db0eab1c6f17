"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from config.db import create_db_engine
from config.migrate import upgrade
from migrations.metadata import target_metadata


def test_upgrade_creates_every_table_and_matches_the_models(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(target_metadata.tables) <= tables
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, target_metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        upgrade(engine)  # a second run is a no-op
    finally:
        engine.dispose()
