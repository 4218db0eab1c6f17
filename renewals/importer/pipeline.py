"""Reading and validating a book chunk by chunk, ahead of the database writes.

Measured: running this in a helper thread beside the writer gained nothing (the sqlite3 module
holds the GIL for most of ``executemany``), so it is a plain generator.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from itertools import islice

from renewals.importer.readers import BookReader
from renewals.importer.report import Rejection
from renewals.importer.validation import BookRow, RowValidator

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
    reader: BookReader, validator: RowValidator, *, chunk_rows: int
) -> Generator[ValidatedChunk, None, None]:
    """Chunks in file order; duplicate plates are caught across the whole file."""
    first_row_of_plate: dict[str, int] = {}
    rows = reader.rows()
    while chunk := list(islice(rows, chunk_rows)):
        good, rejected = _validate(chunk, validator, first_row_of_plate)
        yield ValidatedChunk(
            first_row=chunk[0][0],
            last_row=chunk[-1][0],
            rows_read=len(chunk),
            good=good,
            rejected=rejected,
            fraction=reader.fraction_done(),
        )


def _validate(
    chunk: list[tuple[int, list[object]]],
    validator: RowValidator,
    first_row_of_plate: dict[str, int],
) -> tuple[list[BookRow], list[Rejection]]:
    good: list[BookRow] = []
    rejected: list[Rejection] = []
    for number, cells in chunk:
        result = validator.validate(number, cells)
        if isinstance(result, list):
            rejected.extend(result)
            continue
        first = first_row_of_plate.setdefault(result.plate, number)
        if first != number:
            reason = f"plate {result.plate} is already on row {first} of this file"
            rejected.append(Rejection(number, "plate", reason, "duplicate_plate"))
            continue
        good.append(result)
    return good, rejected
