"""Leader election for singleton work (the scheduler): a real lock held for the leader's life.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a dedicated connection;
the server drops it the moment that connection dies, so a killed leader frees it at once.
SQLite: an exclusive ``flock`` on a file beside the database; the kernel drops it when the
process dies. Losers stay standby and call :meth:`LeaderLock.try_acquire` again later.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from config.db import create_db_engine

__all__ = ["FileLock", "LeaderLock", "PostgresAdvisoryLock", "advisory_key", "leader_lock_for"]

log = logging.getLogger(__name__)


class LeaderLock(Protocol):
    def try_acquire(self) -> bool:
        """Take the lock without waiting; True when this process is now the leader."""
        ...

    def still_held(self) -> bool:
        """False once the lock may have been lost (e.g. the database connection died)."""
        ...

    def release(self) -> None: ...


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class PostgresAdvisoryLock:
    """``pg_try_advisory_lock`` held on a connection of its own (never returned to a pool)."""

    def __init__(self, *, url: str, name: str) -> None:
        self._engine = create_db_engine(url, poolclass=NullPool)
        self._key = advisory_key(name)
        self._conn: Connection | None = None

    def try_acquire(self) -> bool:
        if self._conn is not None:
            return True
        try:
            conn = self._engine.connect()
        except SQLAlchemyError as exc:
            log.warning("cannot reach the database for the leader lock: %s", exc)
            return False
        try:
            taken = bool(conn.scalar(select(func.pg_try_advisory_lock(self._key))))
            conn.commit()  # a session-level lock outlives the transaction
        except SQLAlchemyError as exc:
            log.warning("leader lock attempt failed: %s", exc)
            conn.close()
            return False
        if not taken:
            conn.close()
            return False
        self._conn = conn
        return True

    def still_held(self) -> bool:
        if self._conn is None:
            return False
        try:
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
        except SQLAlchemyError as exc:
            log.error("leader lock connection lost: %s", exc)
            self._drop()
            return False
        return True

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.scalar(select(func.pg_advisory_unlock(self._key)))
            self._conn.commit()
        except SQLAlchemyError:
            pass  # closing the connection below releases it anyway
        self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except SQLAlchemyError:
                conn.invalidate()

    def dispose(self) -> None:
        self.release()
        self._engine.dispose()


class FileLock:
    """An exclusive ``flock`` on ``path``; the file keeps the leader's pid for operators."""

    def __init__(self, *, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def still_held(self) -> bool:
        return self._fd is not None  # an flock lasts as long as the descriptor

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def dispose(self) -> None:
        self.release()


def leader_lock_for(url: str, name: str = "xubao.scheduler") -> PostgresAdvisoryLock | FileLock:
    """The lock matching the database: advisory on PostgreSQL, a lock file beside SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:":
            raise ValueError("an in-memory SQLite database cannot be shared by processes")
        return FileLock(path=Path(f"{database}.{name}.lock"))
    return PostgresAdvisoryLock(url=url, name=name)
