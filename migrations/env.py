"""Alembic environment. Nothing here reads settings or imports ``config``: the caller passes
the database in, through the Alembic config's attributes (``xubao db upgrade`` → config.migrate):

- ``attributes["connection"]``: an open SQLAlchemy connection, inside the caller's transaction;
- ``attributes["url"]``: the database URL, for offline SQL and when no connection is given.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from migrations.env_filters import include_object
from migrations.metadata import target_metadata

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError(
            "no database given: run `xubao db upgrade`, or set attributes['url'] on the "
            "Alembic config"
        )
    return str(url)


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = make_url(_url())
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")  # the driver Xubao installs
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
