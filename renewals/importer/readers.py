"""Readers: a book file → its header and its rows, numbered as a spreadsheet shows them.

CSV is decoded as UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or GBK/GB18030 when
it is not valid UTF-8; XLSX is streamed from the file row by row with python-calamine-plus (a fork
of python-calamine whose reader does not load the whole sheet first). Both stream: only one row
is turned into Python objects at a time, and memory stays flat as the book grows (an XLSX
book's shared-strings table excepted: the format needs it whole).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol, cast

from python_calamine_plus import (
    CalamineError,
    CalamineWorkbook,
    SheetTypeEnum,
    SheetVisibleEnum,
    StreamingNotSupported,
)

from renewals.importer.errors import UnreadableBook
from renewals.importer.xlsx_dimension import declared_rows

__all__ = ["BookReader", "HeaderTest", "detect_encoding", "open_book"]

log = logging.getLogger(__name__)

Cell = object
_SCAN_BLOCK = 1 << 20
_ZIP_MAGIC = b"PK\x03\x04"
_SNIFF_BYTES = 4096
_HEADER_SCAN_ROWS = 10  # non-blank rows searched for the header (titles and notes above it)
HeaderTest = Callable[[list[Cell]], bool]


class BookReader(Protocol):
    """One open book: what it is, and its non-empty rows after the header."""

    kind: str  # "csv" or "xlsx"
    encoding: str  # "" for xlsx
    header: list[Cell]
    header_row: int

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """``(row number, cells)`` for each non-empty row below the header (row 1 = first)."""
        ...

    def fraction_done(self) -> float | None:
        """How far through the file reading is (0..1), when it can tell."""
        ...

    def close(self) -> None: ...


def open_book(path: Path, *, is_header: HeaderTest | None = None) -> BookReader:
    """Open ``path`` as CSV or XLSX (by content, then by extension) or raise UnreadableBook.

    The header is the first non-blank row that ``is_header`` accepts among the first few: real
    exports often put a title (``2026年1月续保清单``) or a note above it. When none is accepted,
    the first non-blank row is the header (and the caller reports what it lacks).
    """
    try:
        with path.open("rb") as probe:
            magic = probe.read(4)
    except OSError as exc:
        raise UnreadableBook(exc.strerror or str(exc), path=path) from None
    if magic == _ZIP_MAGIC or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _XlsxReader.open(path, is_header)
    return _CsvReader.open(path, is_header)


def detect_encoding(path: Path) -> str:
    """``utf-8-sig``/``utf-16`` by BOM, ``utf-8`` when every byte decodes, else ``gb18030``.

    The whole file is scanned (1 MiB at a time, cheap next to parsing) so a GBK character deep in
    the file cannot fail the import half-way.
    """
    with path.open("rb") as f:
        head = f.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := f.read(_SCAN_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            # GB18030 is the superset of GBK and GB2312 that Chinese Excel writes.
            return "gb18030"
    return "utf-8"


def _find_header(
    numbered: Iterator[tuple[int, list[Cell]]], is_header: HeaderTest | None
) -> tuple[int, list[Cell]] | None:
    first: tuple[int, list[Cell]] | None = None
    tried = 0
    for number, cells in numbered:
        if _blank(cells):
            continue
        if first is None:
            first = (number, list(cells))
        if is_header is None or is_header(cells):
            return number, list(cells)
        tried += 1
        if tried >= _HEADER_SCAN_ROWS:
            break
    return first


def _blank(cells: list[Cell]) -> bool:
    for cell in cells:
        if cell is not None and cell != "" and not (isinstance(cell, str) and not cell.strip()):
            return False
    return True


@dataclass
class _CsvReader:
    path: Path
    encoding: str
    binary: IO[bytes]
    size: int
    header: list[Cell] = field(default_factory=list)
    header_row: int = 0
    kind: str = "csv"
    _records: Iterator[list[str]] | None = None
    _text: IO[str] | None = None
    _is_header: HeaderTest | None = None

    @classmethod
    def open(cls, path: Path, is_header: HeaderTest | None) -> _CsvReader:
        try:
            encoding = detect_encoding(path)
            binary = path.open("rb")
        except OSError as exc:
            raise UnreadableBook(exc.strerror or str(exc), path=path) from None
        reader = cls(path=path, encoding=encoding, binary=binary, size=path.stat().st_size)
        reader._is_header = is_header
        try:
            reader._read_header()
        except BaseException:
            binary.close()
            raise
        return reader

    def _read_header(self) -> None:
        if self.encoding != "utf-16" and b"\x00" in self.binary.read(_SNIFF_BYTES):
            raise UnreadableBook("binary data, not a CSV or XLSX book", path=self.path)
        self.binary.seek(0)
        # Kept on self: were the wrapper collected once read to the end, it would close the file.
        self._text = text = io.TextIOWrapper(self.binary, encoding=self.encoding, newline="")
        try:
            first = text.readline()
        except UnicodeDecodeError as exc:
            raise UnreadableBook(
                f"cannot decode as {self.encoding}: {exc}", path=self.path
            ) from None
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        records = csv.reader(_chain_first(first, text), delimiter=delimiter)
        found = _find_header(enumerate(records, start=1), self._is_header)  # type: ignore[arg-type]
        if found is None:
            raise UnreadableBook("no header row: the file is empty", path=self.path)
        self.header_row, self.header = found
        self._records = records
        self._next_number = self.header_row + 1

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        assert self._records is not None
        number = self._next_number
        try:
            for record in self._records:
                if record and not _blank(record):  # type: ignore[arg-type]
                    yield number, list(record)
                number += 1
        except (UnicodeDecodeError, csv.Error) as exc:
            raise UnreadableBook(f"row {number}: {exc}", path=self.path) from None

    def fraction_done(self) -> float | None:
        return min(self.binary.tell() / self.size, 1.0) if self.size else None

    def close(self) -> None:
        self.binary.close()


def _chain_first(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest


@dataclass
class _XlsxReader:
    path: Path
    workbook: CalamineWorkbook
    total: int | None
    _rows: Iterator[list[Cell]]
    header: list[Cell] = field(default_factory=list)
    header_row: int = 0
    kind: str = "xlsx"
    encoding: str = ""
    _done: int = 0

    @classmethod
    def open(cls, path: Path, is_header: HeaderTest | None) -> _XlsxReader:
        try:
            workbook = CalamineWorkbook.from_path(str(path))
        except (CalamineError, OSError, ValueError) as exc:
            raise UnreadableBook(f"not a readable XLSX workbook: {exc}", path=path) from None
        try:
            reader = cls._start(path, workbook)
            # Rows come from row 1 of the sheet, blank ones included, so the index is the row
            # number a spreadsheet shows.
            found = _find_header(enumerate(reader._rows, start=1), is_header)
        except BaseException:
            workbook.close()
            raise
        if found is None:
            workbook.close()
            raise UnreadableBook("no header row: the sheet is empty", path=path)
        reader.header_row, reader.header = found
        reader._done = reader.header_row
        return reader

    @classmethod
    def _start(cls, path: Path, workbook: CalamineWorkbook) -> _XlsxReader:
        index = _first_visible_sheet(workbook)
        try:
            stream = workbook.stream_sheet_by_index(index)
            total = declared_rows(path, workbook.sheets_metadata[index].name)
            rows = _unreadable_as_book_error(cast(Iterator[list[Cell]], stream), path)
        except StreamingNotSupported:  # an OpenDocument sheet (a zip too): calamine loads it whole
            rows, total = cls._loaded(path, workbook, index)
        except (CalamineError, OSError, ValueError) as exc:
            raise UnreadableBook(f"not a readable XLSX workbook: {exc}", path=path) from None
        return cls(path=path, workbook=workbook, total=total, _rows=rows)

    @staticmethod
    def _loaded(
        path: Path, workbook: CalamineWorkbook, index: int
    ) -> tuple[Iterator[list[Cell]], int]:
        try:
            sheet = workbook.get_sheet_by_index(index)
            if sheet.start is None:  # calamine panics iterating a sheet with no cells at all
                raise UnreadableBook("no header row: the sheet is empty", path=path)
            return cast(Iterator[list[Cell]], iter(sheet.iter_rows())), sheet.total_height
        except (CalamineError, OSError, ValueError) as exc:
            raise UnreadableBook(f"not a readable workbook: {exc}", path=path) from None

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        number = self.header_row
        for cells in self._rows:
            number += 1
            self._done = number
            if not _blank(cells):
                yield number, cells

    def fraction_done(self) -> float | None:
        # From the row count the sheet declares (its <dimension>), when it declares one.
        return min(self._done / self.total, 1.0) if self.total else None

    def close(self) -> None:
        self.workbook.close()


def _unreadable_as_book_error(rows: Iterator[list[Cell]], path: Path) -> Iterator[list[Cell]]:
    """The stream's rows; a sheet that turns out broken half-way is an UnreadableBook there.

    ``number`` counts the rows delivered, which are the sheet's rows from row 1 on.
    """
    number = 0
    try:
        for number, cells in enumerate(rows, start=1):  # noqa: B007  (read in the handler)
            yield cells
    except (CalamineError, ValueError) as exc:
        raise UnreadableBook(
            f"cannot read the sheet past row {number}: {type(exc).__name__}: {exc}", path=path
        ) from None


def _first_visible_sheet(workbook: CalamineWorkbook) -> int:
    for index, meta in enumerate(workbook.sheets_metadata):
        if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet:
            return index
    return 0
