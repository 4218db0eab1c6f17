"""Settings a report's transaction asks of PostgreSQL (SQLite has nothing to tune).

A month of seat events is sorted for the window pass: with the default 4 MB of ``work_mem`` the
sort spills to disk (measured: 19 MB external merge for 417k events), so the report's own
transaction gets more. JIT compilation costs more than it saves on these sub-second queries.
Both are ``SET LOCAL``: they end with the transaction and touch no other session.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["tune_for_reports"]

WORK_MEM = "64MB"


def tune_for_reports(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
        session.execute(text("SET LOCAL jit = off"))
