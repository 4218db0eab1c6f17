"""``import_book``: one file, one transaction — read, validate, upsert in chunks, report."""

from __future__ import annotations

import gc
import logging
import multiprocessing
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from renewals.clock import Clock
from renewals.importer.bulk import constant_checks_skipped
from renewals.importer.chunkcheck import ChunkValidator
from renewals.importer.columns import Layout, has_required_columns, resolve_header
from renewals.importer.errors import ImportAborted, MissingColumns
from renewals.importer.pipeline import ValidatedChunk, validated_chunks
from renewals.importer.readers import BookReader, open_book
from renewals.importer.report import ImportReport, Progress
from renewals.importer.upsert import ChunkWriter
from renewals.importer.worker import ValidatingProcess

__all__ = ["import_book"]

log = logging.getLogger(__name__)

DEFAULT_CHUNK_ROWS = 5000
# From this size on (about 8,000 CSV rows) a second process reads and validates: below it,
# starting one costs more than the overlap gains.
WORKER_MIN_BYTES = 2 << 20


def import_book(
    path: Path,
    *,
    engine: Engine,
    clock: Clock,
    dry_run: bool = False,
    progress: Callable[[Progress], None] | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    worker_min_bytes: int | None = WORKER_MIN_BYTES,
) -> ImportReport:
    """Import the renewal book at ``path``; bad rows are reported, good rows upserted.

    Everything the file writes is one transaction: an unreadable file or a database error
    raises (:class:`~renewals.importer.errors.BookImportError`) and leaves the database as it
    was. ``dry_run`` does the whole import and rolls it back, so its counts are exact.

    A file of ``worker_min_bytes`` or more is read and validated in a second process while
    this one writes (:mod:`renewals.importer.worker`); ``None`` never uses one.
    """
    source = _open_source(path, chunk_rows, worker_min_bytes)
    try:
        with _gc_paused():
            return _run(source, path, engine, clock, dry_run, progress)
    finally:
        source.close()


class _Source(Protocol):
    kind: str
    encoding: str
    header: list[object]

    def chunks(self, layout: Layout) -> Generator[ValidatedChunk, None, None]: ...

    def close(self) -> None: ...


class _InProcess:
    """Reading and validating here, chunk by chunk, between the writes."""

    def __init__(self, reader: BookReader, chunk_rows: int) -> None:
        self._reader = reader
        self._chunk_rows = chunk_rows
        self.kind, self.encoding, self.header = reader.kind, reader.encoding, reader.header

    def chunks(self, layout: Layout) -> Generator[ValidatedChunk, None, None]:
        return validated_chunks(self._reader, ChunkValidator(layout), chunk_rows=self._chunk_rows)

    def close(self) -> None:
        self._reader.close()


class _InWorker:
    """Reading and validating in a second process (it validates with the same header)."""

    def __init__(self, path: Path, chunk_rows: int) -> None:
        self._process = ValidatingProcess(path, chunk_rows=chunk_rows)
        self.kind, self.encoding = self._process.kind, self._process.encoding
        self.header = self._process.header

    def chunks(self, layout: Layout) -> Generator[ValidatedChunk, None, None]:
        return self._process.chunks()

    def close(self) -> None:
        self._process.close()


def _open_source(path: Path, chunk_rows: int, worker_min_bytes: int | None) -> _Source:
    if worker_min_bytes is not None and _can_fork():
        try:
            big = path.stat().st_size >= worker_min_bytes
        except OSError:
            big = False  # open_book below reports the file as unreadable
        if big:
            return _InWorker(path, chunk_rows)
    return _InProcess(open_book(path, is_header=has_required_columns), chunk_rows)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def _gc_paused() -> Iterator[None]:
    # The import allocates millions of small acyclic objects (cells, tuples); the cyclic
    # collector's repeated scans of them cost about a third of the run and free nothing.
    # Reference counting still frees everything; the collector is restored afterwards.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run(
    source: _Source,
    path: Path,
    engine: Engine,
    clock: Clock,
    dry_run: bool,
    progress: Callable[[Progress], None] | None,
) -> ImportReport:
    layout = resolve_header(source.header)
    missing = layout.missing_required()
    if missing:
        raise MissingColumns(path=path, missing=missing)
    report = ImportReport(
        path=str(path),
        kind=source.kind,
        encoding=source.encoding,
        dry_run=dry_run,
        ignored_columns=layout.ignored,
    )
    try:
        with engine.connect() as conn, conn.begin() as transaction:
            writer = ChunkWriter(
                conn=conn,
                now=clock.now(),
                present=frozenset(layout.fields),
                coverages=bool(layout.coverages),
            )
            chunks = source.chunks(layout)
            with constant_checks_skipped(conn), closing(chunks):
                for chunk in chunks:
                    _write(writer, chunk, report, path)
                    if progress is not None:
                        progress(Progress(rows=report.rows_read, fraction=chunk.fraction))
            if dry_run:
                transaction.rollback()
    except DBAPIError as exc:  # connecting or committing: no row range to blame
        raise ImportAborted(path=path, cause=exc.orig) from exc
    log.info(
        "imported %s: %d inserted, %d updated, %d rows rejected%s",
        path.name,
        report.inserted,
        report.updated,
        report.rejected_rows,
        " (dry run, rolled back)" if dry_run else "",
    )
    return report


def _write(writer: ChunkWriter, chunk: ValidatedChunk, report: ImportReport, path: Path) -> None:
    try:
        result = writer.write(chunk.good)
    except DBAPIError as exc:
        raise ImportAborted(
            path=path, first_row=chunk.first_row, last_row=chunk.last_row, cause=exc.orig
        ) from exc
    report.rejected.extend(chunk.rejected)
    report.rows_read += chunk.rows_read
    report.inserted += result.inserted
    report.updated += result.updated
    report.customers_inserted += result.customers_inserted
    report.vehicles_inserted += result.vehicles_inserted
    report.leads_created += result.leads_created
