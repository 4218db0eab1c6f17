"""The renewal book importer: CSV/XLSX books of expiring policies → customers, vehicles,
policies, coverages and leads, one transaction per file.

    readers     file → header + numbered rows (CSV encodings detected, XLSX streamed)
    xlsx_dimension  an XLSX sheet's declared row count, for progress
    columns     Chinese/English header aliases → fields and coverage columns
    parsers     cells → plates, phones, dates, cents, counts
    validation  a row → BookRow or rejections (row, field, reason): the per-row reference
    chunkcheck  the same verdicts for a chunk, column by column (what imports run)
    columnar    whole-column fast paths for clean columns (one regex, C-level maps)
    upsert/bulk chunked look-ups and executemany inserts/updates
    service     import_book(): the transaction, chunks, duplicate plates, progress
"""

from renewals.importer.errors import (
    BookImportError,
    BookReaderGone,
    ImportAborted,
    MissingColumns,
    UnreadableBook,
)
from renewals.importer.report import ImportReport, Progress, Rejection
from renewals.importer.service import import_book

__all__ = [
    "BookImportError",
    "BookReaderGone",
    "ImportAborted",
    "ImportReport",
    "MissingColumns",
    "Progress",
    "Rejection",
    "UnreadableBook",
    "import_book",
]
