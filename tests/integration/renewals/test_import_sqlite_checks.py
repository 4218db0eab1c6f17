"""The importer's SQLite shortcut (CHECK constraints skipped for its own writes) never leaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from config.db import create_db_engine
from migrations.metadata import target_metadata
from renewals.importer import ImportAborted, import_book
from tests.book_files import FixedClock, numbered, write_csv


@pytest.fixture
def one_connection_engine(tmp_path: Path) -> Engine:
    # One pooled connection, so the next user gets exactly the connection the import used.
    engine = create_db_engine(f"sqlite:///{tmp_path / 'x.db'}", pool_size=1, max_overflow=0)
    target_metadata.create_all(engine)
    return engine


def _checks_enforced(engine: Engine) -> bool:
    with engine.connect() as conn:
        skipped = conn.exec_driver_sql("PRAGMA ignore_check_constraints").scalar_one()
        try:
            with conn.begin_nested() if conn.in_transaction() else conn.begin():
                conn.execute(
                    text(
                        "INSERT INTO leads (policy_id, stage, status, attempts, contacts, notes,"
                        " created_at, updated_at) SELECT id, 'not-a-stage', 'open', 0, 0, '',"
                        " '2026-01-01', '2026-01-01' FROM policies LIMIT 1"
                    )
                )
        except IntegrityError:
            return skipped == 0
        return False


def test_checks_are_enforced_again_after_an_import(
    one_connection_engine: Engine, tmp_path: Path
) -> None:
    import_book(
        write_csv(tmp_path / "a.csv", numbered(3)), engine=one_connection_engine, clock=FixedClock()
    )
    assert _checks_enforced(one_connection_engine)


def test_checks_are_enforced_again_after_a_failed_import(
    one_connection_engine: Engine, tmp_path: Path
) -> None:
    engine = one_connection_engine
    import_book(write_csv(tmp_path / "a.csv", numbered(3)), engine=engine, clock=FixedClock())
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON vehicles WHEN NEW.plate = '京A10005' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    with pytest.raises(ImportAborted):
        import_book(write_csv(tmp_path / "b.csv", numbered(8)), engine=engine, clock=FixedClock())
    assert _checks_enforced(engine)
