"""Run the Alembic migrations programmatically (``xubao db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

import migrations

__all__ = ["alembic_config", "upgrade"]


def alembic_config(url: str) -> Config:
    """The config migrations/env.py reads: the URL goes in as an attribute, not as settings
    (env.py imports nothing of ``config``), and needs no escaping for configparser."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.attributes["url"] = url
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision`` in one transaction: all or nothing."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    if engine.dialect.name == "sqlite":
        _upgrade_sqlite(engine, cfg, revision)
        return
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def _upgrade_sqlite(engine: Engine, cfg: Config, revision: str) -> None:
    # The sqlite3 module runs DDL outside any transaction unless one was opened explicitly, so a
    # migration failing half-way would leave tables renamed and the version unchanged. And batch
    # mode's table copies drop tables that others reference, which foreign keys forbid. So, as
    # SQLite's own procedure for schema changes says: foreign keys off (only possible outside a
    # transaction), BEGIN, migrate, check every foreign key, commit; keys back on, whatever
    # happened.
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                raw.execute("BEGIN")
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, revision)
                broken = raw.execute("PRAGMA foreign_key_check").fetchmany(5)
                if broken:
                    raise MigrationBrokeForeignKeys(broken)
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


class MigrationBrokeForeignKeys(RuntimeError):
    """A migration left rows pointing at nothing; it was rolled back."""

    def __init__(self, rows: list[tuple[object, ...]]) -> None:
        super().__init__(f"migration rolled back: rows with a dangling foreign key: {rows}")
