"""The second process that reads and validates big books: failures of its own lose nothing."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from renewals.importer import import_book, service, worker
from renewals.importer.errors import BookImportError, BookReaderGone
from renewals.importer.report import ImportReport, Progress
from tests.book_files import FixedClock, numbered, table_dump, write_csv


def _import(path: Path, engine: Engine, **kwargs: Any) -> ImportReport:
    kwargs.setdefault("chunk_rows", 10)
    return import_book(path, engine=engine, clock=FixedClock(), **kwargs)


def _no_children_left() -> bool:
    return not multiprocessing.active_children()


def test_a_book_over_the_size_threshold_is_read_in_a_second_process(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Path] = []
    real = worker.ValidatingProcess.__init__

    def spy(self: worker.ValidatingProcess, path: Path, *, chunk_rows: int) -> None:
        started.append(path)
        real(self, path, chunk_rows=chunk_rows)

    monkeypatch.setattr(worker.ValidatingProcess, "__init__", spy)
    small = write_csv(tmp_path / "small.csv", numbered(3))
    big = write_csv(tmp_path / "big.csv", numbered(30, start=3))
    threshold = big.stat().st_size
    assert small.stat().st_size < threshold
    assert _import(small, engine, worker_min_bytes=threshold).inserted == 3
    assert started == []
    report = _import(big, engine, worker_min_bytes=threshold)
    assert (report.inserted, report.rows_read) == (30, 30)
    assert started == [big]
    assert service.WORKER_MIN_BYTES == 2 << 20  # the default: about 8,000 CSV rows
    assert _no_children_left()


def test_the_reader_dying_mid_file_leaves_the_database_as_it_was(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(write_csv(tmp_path / "a.csv", numbered(2)), engine)
    before = table_dump(engine)
    encode = worker._encode
    sent: list[int] = []

    def die_on_the_third_chunk(chunk: Any) -> bytes:
        # Runs in the (forked) child: the third chunk never arrives, the process is gone.
        sent.append(1)
        if len(sent) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return encode(chunk)

    monkeypatch.setattr(worker, "_encode", die_on_the_third_chunk)
    progress: list[Progress] = []
    with pytest.raises(BookReaderGone, match=r"exited \(-9\)"):
        _import(
            write_csv(tmp_path / "b.csv", numbered(40, start=2)),
            engine,
            worker_min_bytes=0,
            progress=progress.append,
        )
    assert [p.rows for p in progress] == [10, 20]  # two chunks were written, then rolled back
    assert table_dump(engine) == before
    assert _no_children_left()


def test_a_bug_in_the_reader_is_raised_here_with_its_traceback(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = table_dump(engine)

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise ZeroDivisionError("a validator bug")

    monkeypatch.setattr(worker.ChunkValidator, "validate", broken)
    with pytest.raises(BookReaderGone, match="ZeroDivisionError: a validator bug") as raised:
        _import(write_csv(tmp_path / "b.csv", numbered(5)), engine, worker_min_bytes=0)
    # One line for people (the CLI shows it); the child's whole traceback for --debug.
    assert isinstance(raised.value, BookImportError)
    assert "\n" not in str(raised.value)
    assert raised.value.detail.startswith("Traceback") and "def broken" not in str(raised.value)
    assert table_dump(engine) == before
    assert _no_children_left()


def test_stopping_the_import_half_way_stops_the_reader(engine: Engine, tmp_path: Path) -> None:
    before = table_dump(engine)

    def interrupt(progress: Progress) -> None:
        raise KeyboardInterrupt  # Ctrl-C in the CLI, between two chunks

    with pytest.raises(KeyboardInterrupt):
        _import(
            write_csv(tmp_path / "b.csv", numbered(200)),
            engine,
            worker_min_bytes=0,
            progress=interrupt,
        )
    assert table_dump(engine) == before
    assert _no_children_left()


def test_ctrl_c_reaching_the_reader_is_left_to_the_importing_process(
    engine: Engine, tmp_path: Path
) -> None:
    # A terminal sends SIGINT to the whole process group; the parent may well carry on. The
    # book is big enough that the reader, a pipe's worth ahead, is still running.
    interrupted: list[int] = []

    def interrupt_the_reader(progress: Progress) -> None:
        for child in multiprocessing.active_children():
            if child.name == "book-reader" and not interrupted:
                os.kill(child.pid or 0, signal.SIGINT)
                interrupted.append(child.pid or 0)

    report = _import(
        write_csv(tmp_path / "b.csv", numbered(3000)),
        engine,
        worker_min_bytes=0,
        chunk_rows=200,
        progress=interrupt_the_reader,
    )
    assert interrupted
    assert (report.inserted, report.rows_read) == (3000, 3000)
    assert _no_children_left()
