"""Reading and validating a big book in a second process, chunks handed over a pipe.

The import's writes are SQLite's (one writer, holding the GIL while it binds each row) and its
reading and validating are Python: in one process they add up, and a helper thread only
contends for the GIL (measured: no gain). A forked process reads and validates while this one
writes, so the two overlap on a second core. The hand-over is the cost: each chunk's good rows
go column by column through ``marshal`` (dates as ordinals), about a quarter of what pickling
the row tuples costs. Fork, not spawn: the child needs only what this process already imported,
and starts in milliseconds; it touches no database connection, only the file and the pipe.

The child sends, in order: the header, then each chunk, then the end (or an error). The pipe
holds little, so the child is at most about a chunk ahead: memory stays flat.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import signal
import traceback
from collections.abc import Generator
from datetime import date
from itertools import repeat
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from renewals.importer.chunkcheck import ChunkValidator
from renewals.importer.columns import has_required_columns, resolve_header
from renewals.importer.errors import BookReaderGone, UnreadableBook
from renewals.importer.pipeline import ValidatedChunk, validated_chunks
from renewals.importer.readers import Cell, open_book
from renewals.importer.report import Rejection
from renewals.importer.validation import BookRow

__all__ = ["BookReaderGone", "ValidatingProcess"]

# BookRow fields holding a date (sent as ordinals: marshal knows no dates).
_DATE_FIELDS = tuple(
    BookRow._fields.index(f) for f in ("end_date", "start_date", "first_registration")
)
_JOIN_S = 5.0


class ValidatingProcess:
    """A child process reading and validating ``path``: its header, then its chunks in order."""

    def __init__(self, path: Path, *, chunk_rows: int) -> None:
        self.path = path
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self._pipe = receive
        self._process = context.Process(
            target=_child_main, args=(path, chunk_rows, send), name="book-reader", daemon=True
        )
        self._process.start()
        send.close()  # the child holds the sending end; EOF here means it is gone
        try:
            header = self._receive()
        except BaseException:
            self.close()
            raise
        assert header[0] == "header", header[0]
        _, self.kind, self.encoding, self.header, self.header_row = header

    def chunks(self) -> Generator[ValidatedChunk, None, None]:
        while True:
            message = self._receive()
            if message[0] == "end":
                return
            yield _decode(message)

    def close(self) -> None:
        """Stop the child (if still running) and wait for it; safe to call more than once."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(_JOIN_S)
        if self._process.is_alive():  # pragma: no cover - a child ignoring SIGTERM
            self._process.kill()
            self._process.join()
        self._pipe.close()

    def _receive(self) -> tuple[Any, ...]:
        try:
            # Our own child's bytes over an unnamed pipe, never data from outside.
            message: tuple[Any, ...] = marshal.loads(self._pipe.recv_bytes())  # noqa: S302
        except EOFError:
            self._process.join(_JOIN_S)
            raise BookReaderGone(
                f"the reading process exited ({self._process.exitcode})", path=self.path
            ) from None
        if message[0] == "unreadable":
            raise UnreadableBook(message[1], path=self.path)
        if message[0] == "crash":
            trace = str(message[1]).strip()
            last = trace.splitlines()[-1] if trace else "no traceback"
            raise BookReaderGone(f"reading failed: {last}", path=self.path, detail=trace)
        return message


def _child_main(path: Path, chunk_rows: int, send: Connection) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the parent decides what happens
    # (it stops this process when it abandons the import), so the reader itself ignores it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # as in the parent's import: millions of acyclic objects, nothing to collect
    try:
        reader = open_book(path, is_header=has_required_columns)
        try:
            _send(
                send,
                ("header", reader.kind, reader.encoding, _plain(reader.header), reader.header_row),
            )
            layout = resolve_header(reader.header)
            if not layout.missing_required():  # else the parent reports the missing columns
                for chunk in validated_chunks(
                    reader, ChunkValidator(layout), chunk_rows=chunk_rows
                ):
                    send.send_bytes(_encode(chunk))
            _send(send, ("end",))
        finally:
            reader.close()
    except UnreadableBook as exc:
        _send(send, ("unreadable", exc.message))
    except BaseException:  # reported to the parent, which raises it
        _send(send, ("crash", traceback.format_exc()))
    finally:
        send.close()
        os._exit(0)  # no atexit handlers or finalizers of the parent's objects in the child


def _send(send: Connection, message: tuple[Any, ...]) -> None:
    send.send_bytes(marshal.dumps(message))


def _plain(cells: list[Cell]) -> list[Any]:
    # Header cells are text in practice; anything marshal cannot carry goes as its text.
    return [c if c is None or isinstance(c, str | int | float) else str(c) for c in cells]


def _encode(chunk: ValidatedChunk) -> bytes:
    columns: list[Any] = [list(c) for c in zip(*chunk.good, strict=True)] if chunk.good else []
    for index in _DATE_FIELDS if columns else ():
        columns[index] = [d.toordinal() if d is not None else None for d in columns[index]]
    rejected = [(r.row, r.field, r.reason, r.code) for r in chunk.rejected]
    return marshal.dumps(
        (
            "chunk",
            chunk.first_row,
            chunk.last_row,
            chunk.rows_read,
            chunk.fraction,
            rejected,
            columns,
        )
    )


def _decode(message: tuple[Any, ...]) -> ValidatedChunk:
    _, first_row, last_row, rows_read, fraction, rejected, columns = message
    if columns:
        for index in _DATE_FIELDS:
            days: dict[int | None, date | None] = {None: None}
            columns[index] = [
                days[o] if o in days else days.setdefault(o, date.fromordinal(o))
                for o in columns[index]
            ]
        good = list(map(tuple.__new__, repeat(BookRow), zip(*columns, strict=True)))
    else:
        good = []
    return ValidatedChunk(
        first_row=first_row,
        last_row=last_row,
        rows_read=rows_read,
        good=good,
        rejected=[Rejection(*r) for r in rejected],
        fraction=fraction,
    )
