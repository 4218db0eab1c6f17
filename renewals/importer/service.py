"""``import_book``: one file, one transaction — read, validate, upsert in chunks, report."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from renewals.clock import Clock
from renewals.importer.bulk import constant_checks_skipped
from renewals.importer.chunkcheck import ChunkValidator
from renewals.importer.columns import resolve_header
from renewals.importer.errors import ImportAborted, MissingColumns
from renewals.importer.pipeline import ValidatedChunk, validated_chunks
from renewals.importer.readers import BookReader, open_book
from renewals.importer.report import ImportReport, Progress
from renewals.importer.upsert import ChunkWriter

__all__ = ["import_book"]

log = logging.getLogger(__name__)

DEFAULT_CHUNK_ROWS = 5000


def import_book(
    path: Path,
    *,
    engine: Engine,
    clock: Clock,
    dry_run: bool = False,
    progress: Callable[[Progress], None] | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> ImportReport:
    """Import the renewal book at ``path``; bad rows are reported, good rows upserted.

    Everything the file writes is one transaction: an unreadable file or a database error
    raises (:class:`~renewals.importer.errors.BookImportError`) and leaves the database as it
    was. ``dry_run`` does the whole import and rolls it back, so its counts are exact.
    """
    reader = open_book(path, is_header=_has_required_columns)
    try:
        with _gc_paused():
            return _run(reader, path, engine, clock, dry_run, progress, chunk_rows)
    finally:
        reader.close()


def _has_required_columns(cells: list[object]) -> bool:
    return not resolve_header(cells).missing_required()


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
    reader: BookReader,
    path: Path,
    engine: Engine,
    clock: Clock,
    dry_run: bool,
    progress: Callable[[Progress], None] | None,
    chunk_rows: int,
) -> ImportReport:
    layout = resolve_header(reader.header)
    missing = layout.missing_required()
    if missing:
        raise MissingColumns(path=path, missing=missing)
    report = ImportReport(
        path=str(path),
        kind=reader.kind,
        encoding=reader.encoding,
        dry_run=dry_run,
        ignored_columns=layout.ignored,
    )
    validator = ChunkValidator(layout)
    try:
        with engine.connect() as conn, conn.begin() as transaction:
            writer = ChunkWriter(
                conn=conn,
                now=clock.now(),
                present=frozenset(layout.fields),
                coverages=bool(layout.coverages),
            )
            chunks = validated_chunks(reader, validator, chunk_rows=chunk_rows)
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
