"""Reading and validating a book chunk by chunk, ahead of the database writes.

Measured: running this in a helper thread beside the writer gained nothing (the sqlite3 module
holds the GIL for most of ``executemany``), so it is a plain generator.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from itertools import islice

from renewals.importer.chunkcheck import ChunkValidator
from renewals.importer.readers import BookReader
from renewals.importer.report import Rejection
from renewals.importer.validation import BookRow

__all__ = ["ValidatedChunk", "validated_chunks"]


@dataclass(frozen=True, slots=True)
class ValidatedChunk:
    first_row: int
    last_row: int
    rows_read: int
    good: list[BookRow]
    rejected: list[Rejection]
    fraction: float | None


def validated_chunks(
    reader: BookReader, validator: ChunkValidator, *, chunk_rows: int
) -> Generator[ValidatedChunk, None, None]:
    """Chunks in file order; duplicate plates are caught across the whole file."""
    first_row_of_plate: dict[str, int] = {}
    rows = reader.rows()
    while chunk := list(islice(rows, chunk_rows)):
        good, problems = validator.validate(chunk)
        good = _drop_duplicates(good, problems, first_row_of_plate)
        yield ValidatedChunk(
            first_row=chunk[0][0],
            last_row=chunk[-1][0],
            rows_read=len(chunk),
            good=good,
            rejected=[r for i in sorted(problems) for r in problems[i]],
            fraction=reader.fraction_done(),
        )


def _drop_duplicates(
    good: list[BookRow], problems: dict[int, list[Rejection]], first_row_of_plate: dict[str, int]
) -> list[BookRow]:
    """Rows whose plate an earlier row of the file had are rejected (keyed by row number)."""
    seen = len(first_row_of_plate)
    for row in good:
        first_row_of_plate.setdefault(row.plate, row.number)
    if len(first_row_of_plate) - seen == len(good):  # the common case: no plate repeated
        return good
    kept: list[BookRow] = []
    for row in good:
        first = first_row_of_plate[row.plate]
        if first != row.number:
            reason = f"plate {row.plate} is already on row {first} of this file"
            problems[row.number] = [Rejection(row.number, "plate", reason, "duplicate_plate")]
            continue
        kept.append(row)
    return kept
