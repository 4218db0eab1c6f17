"""Settings a report's transaction asks of PostgreSQL (SQLite has nothing to tune), and the
write lock a rollup takes first on SQLite.

A month of seat events is sorted for the window pass: with the default 4 MB of ``work_mem`` the
sort spills to disk (measured: 19 MB external merge for 417k events), so the report's own
transaction gets more. JIT compilation costs more than it saves on these sub-second queries.
Both are ``SET LOCAL``: they end with the transaction and touch no other session.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["take_write_lock", "tune_for_reports"]

WORK_MEM = "64MB"


def tune_for_reports(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
        session.execute(text("SET LOCAL jit = off"))


def take_write_lock(session: Session) -> None:
    """On SQLite, make the transaction a writer before it reads (PostgreSQL: nothing to do).

    A rollup reads, then writes. In WAL mode a transaction that has read cannot wait for the
    write lock: if another connection wrote meanwhile, SQLite answers "database is locked" at
    once instead of waiting ``busy_timeout``. Writing first (a delete of no row) takes the
    lock while there is no snapshot yet, so the wait applies.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM rolled_days WHERE 0"))
