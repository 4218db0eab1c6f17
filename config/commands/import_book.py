"""``xubao import FILE [--dry-run] [--json]``: load a renewal book (CSV or XLSX)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy import inspect

from config.db import create_db_engine
from config.errors import NothingToImport, SchemaMissing
from config.exits import ExitCode
from config.import_summary import summarise
from config.messages import Messages
from config.settings import Settings
from renewals.clock import SystemClock
from renewals.importer import ImportReport, Progress, import_book

__all__ = ["EXIT_DATABASE", "EXIT_NO_SCHEMA", "EXIT_REJECTED", "EXIT_UNREADABLE", "ProgressBar"]

EXIT_REJECTED = ExitCode.ROWS_REJECTED  # some rows were rejected; the others went in
EXIT_UNREADABLE = ExitCode.BAD_FILE  # the file cannot be read, lacks columns, or has no rows
EXIT_NO_SCHEMA = ExitCode.NO_SCHEMA  # the database has no tables: `xubao db upgrade`
EXIT_DATABASE = ExitCode.DATABASE  # the database refused the import (rolled back)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("import", help="import a renewal book (CSV or XLSX)")
    cmd.add_argument("file", type=Path, help="the book: .csv (UTF-8, BOM or GBK) or .xlsx")
    cmd.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    cmd.add_argument("--json", action="store_true", help="print the result as JSON")
    cmd.set_defaults(handler=run_import)


class ProgressBar:
    """A one-line progress bar redrawn in place on a terminal (stderr)."""

    def __init__(self, *, stream: TextIO, messages: Messages, width: int = 30) -> None:
        self._stream = stream
        self._messages = messages
        self._width = width
        self._drawn = False

    def __call__(self, progress: Progress) -> None:
        fraction = progress.fraction
        if fraction is None:
            bar, percent = "?" * self._width, "  ?%"
        else:
            filled = int(fraction * self._width)
            bar = "#" * filled + "." * (self._width - filled)
            percent = f"{fraction * 100:3.0f}%"
        line = self._messages.text(
            "Importing [{bar}] {percent} {rows:,} rows",
            bar=bar,
            percent=percent,
            rows=progress.rows,
        )
        self._stream.write("\r" + line)
        self._stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    """Book errors (unreadable, columns, a dead reader, a refused write) reach the CLI's
    error boundary, which says them in one line with their exit code."""
    report = _import(args, settings)
    if report.rows_read == 0:
        raise NothingToImport(str(args.file))
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(summarise(report, Messages(args.ui_lang)))
    if not report.rejected:
        return ExitCode.OK
    sys.stdout.flush()  # the list comes before the line that points at it
    print(
        Messages(args.ui_lang).error_line(
            "{rejected} of {read} rows of {file} were rejected (listed above); the others "
            "were imported",
            rejected=report.rejected_rows,
            read=report.rows_read,
            file=args.file,
        ),
        file=sys.stderr,
    )
    return EXIT_REJECTED


def _import(args: argparse.Namespace, settings: Settings) -> ImportReport:
    engine = create_db_engine(settings.resolved_database_url)
    bar = (
        ProgressBar(stream=sys.stderr, messages=Messages(args.ui_lang))
        if sys.stderr.isatty()
        else None
    )
    try:
        if not inspect(engine).has_table("leads"):
            # Checked first: the importer would only fail on its first write.
            raise SchemaMissing
        return import_book(
            args.file, engine=engine, clock=SystemClock(), dry_run=args.dry_run, progress=bar
        )
    finally:
        if bar is not None:
            bar.finish()
        engine.dispose()
