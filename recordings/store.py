"""Where recordings live: paths under one root, built by us from ids and dates, never from input.

Every file the store hands out goes through ``resolve``, which refuses anything that would leave
the root (absolute paths, ``..``, symlinks pointing out). Files are written atomically: a
temporary file in the same folder, fsynced, then renamed over the final name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path, PurePosixPath

from recordings.errors import UnsafePath
from recordings.models import Speaker

__all__ = ["RecordingStore", "sha256_of"]

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def inside(root: Path, relative: str) -> Path:
    """``root / relative`` if it stays inside ``root`` (symlinks resolved), else UnsafePath."""
    pure = PurePosixPath(relative)
    if (
        not relative
        or "\x00" in relative
        or "\\" in relative
        or pure.is_absolute()
        or ".." in pure.parts
    ):
        raise UnsafePath(relative)
    base = root.resolve()
    target = (base / pure).resolve()
    if not target.is_relative_to(base):
        raise UnsafePath(relative)
    return target


class RecordingStore:
    """The compressed recordings under ``root``: ``YYYY/MM/DD/<attempt>-<speaker>.opus``."""

    def __init__(self, *, root: Path) -> None:
        self.root = root

    @staticmethod
    def relative_path(*, attempt_id: int, started: datetime, speaker: Speaker) -> str:
        """The stored file's path, from an integer id, a date and an enum: nothing user-given."""
        return f"{started:%Y/%m/%d}/{int(attempt_id)}-{Speaker(speaker).value}.opus"

    def resolve(self, relative: str) -> Path:
        """The absolute path of a stored file; refuses paths leaving the root (UnsafePath)."""
        return inside(self.root, relative)

    def write(self, relative: str, data: bytes) -> tuple[int, str]:
        """Store ``data`` atomically at ``relative``; returns (size in bytes, SHA-256 hex)."""
        target = self.resolve(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".opus")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return len(data), hashlib.sha256(data).hexdigest()

    def remove(self, relative: str) -> bool:
        """Delete a stored file; False if it was already gone."""
        target = self.resolve(relative)
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        return True
