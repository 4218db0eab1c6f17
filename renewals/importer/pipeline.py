"""Reading and validating in a helper thread while the caller's thread writes to the database.

Most of a SQLite import's time is inside ``executemany`` (C code that releases the GIL), so
parsing the next chunk meanwhile uses the second core. The database work, and so the
transaction, stays in the caller's thread; the helper thread only reads the file.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from renewals.importer.readers import BookReader
from renewals.importer.report import Rejection
from renewals.importer.validation import BookRow, RowValidator

__all__ = ["ValidatedChunk", "validated_chunks"]

_QUEUE_DEPTH = 2  # chunks parsed ahead: enough to overlap, little memory
_PUT_WAIT_S = 0.1  # how often a blocked reader checks whether the consumer gave up


@dataclass(frozen=True, slots=True)
class ValidatedChunk:
    first_row: int
    last_row: int
    rows_read: int
    good: list[BookRow]
    rejected: list[Rejection]
    fraction: float | None


class _Finished:
    pass


_DONE = _Finished()


def validated_chunks(
    reader: BookReader, validator: RowValidator, *, chunk_rows: int
) -> Iterator[ValidatedChunk]:
    """Chunks in file order; an error while reading is raised here, in the caller's thread.

    Closing the generator early (the consumer failed) stops and joins the reading thread.
    """
    handoff: queue.Queue[ValidatedChunk | BaseException | _Finished] = queue.Queue(_QUEUE_DEPTH)
    stop = threading.Event()
    thread = threading.Thread(
        target=_produce,
        args=(reader, validator, chunk_rows, handoff, stop),
        name="book-import-reader",
        daemon=True,
    )
    thread.start()
    try:
        while True:
            item = handoff.get()
            if isinstance(item, _Finished):
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _produce(
    reader: BookReader,
    validator: RowValidator,
    chunk_rows: int,
    handoff: queue.Queue[ValidatedChunk | BaseException | _Finished],
    stop: threading.Event,
) -> None:
    try:
        first_row_of_plate: dict[str, int] = {}
        rows = reader.rows()
        while chunk := list(islice(rows, chunk_rows)):
            good, rejected = _validate(chunk, validator, first_row_of_plate)
            item = ValidatedChunk(
                first_row=chunk[0][0],
                last_row=chunk[-1][0],
                rows_read=len(chunk),
                good=good,
                rejected=rejected,
                fraction=reader.fraction_done(),
            )
            if not _put(handoff, item, stop):
                return
        _put(handoff, _DONE, stop)
    except BaseException as exc:  # handed to the consumer, which raises it
        _put(handoff, exc, stop)


def _put(
    handoff: queue.Queue[ValidatedChunk | BaseException | _Finished],
    item: ValidatedChunk | BaseException | _Finished,
    stop: threading.Event,
) -> bool:
    while not stop.is_set():
        try:
            handoff.put(item, timeout=_PUT_WAIT_S)
            return True
        except queue.Full:
            continue
    return False


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
