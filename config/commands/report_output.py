"""How ``xubao report`` shows a report: JSON, a CSV or XLSX file, or text in the terminal.

Text goes through the reports catalog (zh_CN by default, ``XUBAO_LANG=en`` for English);
seconds are shown as h:mm:ss, cents as yuan, fractions as percentages.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from config.commands._common import yuan
from reports.export import write_csv, write_table_xlsx
from reports.i18n import catalog
from reports.tables import Table

__all__ = ["WRITTEN", "Output", "add_output_options", "clock_text", "emit"]

SECONDS, CENTS, RATE = "s", "c", "%"
WRITTEN = "{count} rows written to {path}"


def add_output_options(parser: argparse.ArgumentParser) -> None:
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument("--xlsx", type=Path, metavar="FILE", help="write an XLSX workbook")
    out.add_argument("--csv", type=Path, metavar="FILE", help="write a CSV file (UTF-8)")


class Output:
    """The language and the translate function of one command run."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalog = catalog()

    def tr(self, message: str) -> str:
        return self._catalog.gettext(message, self.language)


def clock_text(seconds: object) -> str:
    if not isinstance(seconds, int | float):
        return ""
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _cell(value: object, kind: str) -> str:
    if value is None:
        return "-"
    if kind == SECONDS:
        return clock_text(value)
    if kind == CENTS and isinstance(value, int):
        return yuan(value)
    if kind == RATE and isinstance(value, float):
        return f"{value * 100:.1f}%"
    return str(value)


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


_UNIT = re.compile(r"\s*[(（](s|cents|秒|分)[)）]$")


def print_table(table: Table, kinds: dict[int, str]) -> None:
    # Seconds and cents are shown as h:mm:ss and yuan here: their headers drop the unit.
    header = [_UNIT.sub("", h) if i in kinds else h for i, h in enumerate(table.header)]
    lines = [header] + [
        [_cell(v, kinds.get(i, "")) for i, v in enumerate(row)] for row in table.rows
    ]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(table.header))]
    for line in lines:
        print("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(line)))


def emit(
    args: argparse.Namespace,
    out: Output,
    *,
    document: object,
    table: Table,
    title: str,
    kinds: dict[int, str] | None = None,
) -> None:
    """Print or write the report the way the command line asked for."""
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif args.xlsx is not None:
        count = write_table_xlsx(args.xlsx, table, sheet_name=title)
        print(out.tr(WRITTEN).format(count=count, path=args.xlsx))
    elif args.csv is not None:
        count = write_csv(args.csv, table)
        print(out.tr(WRITTEN).format(count=count, path=args.csv))
    else:
        print(title)
        print_table(table, kinds or {})
