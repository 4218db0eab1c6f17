"""Shared fixtures: a fresh database per test on SQLite and on the machine's PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from config.db import create_db_engine, make_session_factory
from migrations.metadata import target_metadata

POSTGRES_URL = os.environ.get(
    "XUBAO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _postgres_schema_engine(schema: str) -> Engine:
    # Each test gets its own schema: tables are created in it and it is dropped afterwards.
    return create_db_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})


def _fresh_postgres_database() -> Iterator[str]:
    name = f"xubao_t_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A URL to an empty database (no tables): a new SQLite file or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'xubao.db'}"
        return
    yield from _fresh_postgres_database()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL to a new, empty PostgreSQL database, for the cases only PostgreSQL has."""
    yield from _fresh_postgres_database()


def _trigram_in_public(admin: Engine) -> None:
    """pg_trgm once in ``public``: made inside a test's schema it would be dropped with that
    schema while another test (an xdist worker) uses its operator class."""
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")):
            return
    try:
        with admin.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except DBAPIError:  # another worker made it at the same moment
        pass


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An engine on a fresh database with every table created, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        eng = create_db_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'xubao.db'}")
        target_metadata.create_all(eng)
        yield eng
        eng.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(POSTGRES_URL)
    _trigram_in_public(admin)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = _postgres_schema_engine(schema)
    target_metadata.create_all(eng)
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)
