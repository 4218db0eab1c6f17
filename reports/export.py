"""Report tables written as CSV (UTF-8 with a BOM, so Excel and WPS read the Chinese) or XLSX."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from renewals.xlsxwrite import write_xlsx
from reports.tables import Table

__all__ = ["write_csv", "write_table_xlsx"]


def _text(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_csv(path: Path, table: Table) -> int:
    """Write the header and the rows; returns the rows written (the header not counted)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(table.header)
        for row in table.rows:
            writer.writerow([_text(v) for v in row])
    return len(table.rows)


def write_table_xlsx(path: Path, table: Table, *, sheet_name: str) -> int:
    """One sheet: the header, then the rows (numbers stay numbers, dates dates)."""
    rows: list[list[object]] = [list(table.header), *table.rows]
    width = max(len(r) for r in rows)
    write_xlsx(path, rows, sheet_name=sheet_name[:31], size=(len(rows), width))
    return len(table.rows)
