"""Errors of the book importer: a whole file that cannot be imported.

    RenewalsError
    └── BookImportError
        ├── UnreadableBook   the file cannot be opened or decoded (missing, corrupt, wrong kind)
        ├── MissingColumns   the header lacks a required column (plate, insured, phone, expiry)
        ├── BookReaderGone   the process reading the file died or failed; nothing was imported
        └── ImportAborted    the database refused a write; the file's transaction was rolled back

A bad *row* is not an error: it is reported as a :class:`~renewals.importer.report.Rejection`
and the good rows still go in.
"""

from __future__ import annotations

from pathlib import Path

from renewals.errors import RenewalsError

__all__ = [
    "BookImportError",
    "BookReaderGone",
    "ImportAborted",
    "MissingColumns",
    "UnreadableBook",
]


class BookImportError(RenewalsError):
    """The file was not imported; the database is as it was before."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class UnreadableBook(BookImportError):
    """The file is missing, corrupt, or neither CSV nor XLSX."""


class MissingColumns(BookImportError):
    """The header row lacks columns every lead needs."""

    def __init__(self, *, path: Path, missing: tuple[str, ...]) -> None:
        super().__init__("missing required columns: " + ", ".join(missing), path=path)
        self.missing = missing


class BookReaderGone(BookImportError):
    """The reading process died or failed unexpectedly; the import is abandoned.

    ``message`` is one line (how it ended, or the failure's last line); ``detail`` holds the
    reading process's whole traceback when it sent one.
    """

    def __init__(self, message: str, *, path: Path, detail: str = "") -> None:
        super().__init__(message, path=path)
        self.detail = detail


class ImportAborted(BookImportError):
    """The database failed (while writing rows ``first_row``..``last_row`` when known);
    the file's transaction was rolled back, nothing of it was kept."""

    def __init__(
        self,
        *,
        path: Path,
        cause: BaseException | None,
        first_row: int | None = None,
        last_row: int | None = None,
    ) -> None:
        where = f" while writing rows {first_row}-{last_row}" if first_row is not None else ""
        super().__init__(f"database error{where}, import rolled back: {cause}", path=path)
        self.first_row = first_row
        self.last_row = last_row
