"""Alembic driven from a URL alone (no connection passed in): env.py opens it itself."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from config.db import create_db_engine
from config.migrate import alembic_config


def test_upgrade_from_a_url_attribute_creates_the_schema(db_url: str) -> None:
    command.upgrade(alembic_config(db_url), "head")
    engine = create_db_engine(db_url)
    try:
        names = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"alembic_version", "leads", "campaigns", "customers"} <= names
