"""``xubao import FILE [--dry-run] [--json]``: load a renewal book (CSV or XLSX)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy import inspect

from config.db import create_db_engine
from config.settings import Settings
from renewals.clock import SystemClock
from renewals.importer import (
    BookImportError,
    ImportAborted,
    Progress,
    import_book,
    summarise_zh,
)

__all__ = ["EXIT_DATABASE", "EXIT_UNREADABLE", "ProgressBar"]

EXIT_UNREADABLE = 2  # the file cannot be read or lacks required columns
EXIT_DATABASE = 3  # the database refused the import (rolled back) or has no schema


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("import", help="import a renewal book (CSV or XLSX)")
    cmd.add_argument("file", type=Path, help="the book: .csv (UTF-8, BOM or GBK) or .xlsx")
    cmd.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    cmd.add_argument("--json", action="store_true", help="print the result as JSON")
    cmd.set_defaults(handler=run_import)


class ProgressBar:
    """A one-line progress bar redrawn in place on a terminal (stderr)."""

    def __init__(self, *, stream: TextIO, width: int = 30) -> None:
        self._stream = stream
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
        self._stream.write(f"\r导入中 [{bar}] {percent} {progress.rows:,} 行")
        self._stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_db_engine(settings.resolved_database_url)
    bar = ProgressBar(stream=sys.stderr) if sys.stderr.isatty() else None
    try:
        if not inspect(engine).has_table("leads"):
            print("数据库尚未初始化：请先运行 `xubao db upgrade`", file=sys.stderr)
            return EXIT_DATABASE
        report = import_book(
            args.file, engine=engine, clock=SystemClock(), dry_run=args.dry_run, progress=bar
        )
    except ImportAborted as exc:
        print(f"导入失败，数据库未改动：{exc}", file=sys.stderr)
        return EXIT_DATABASE
    except BookImportError as exc:
        print(f"无法导入：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        if bar is not None:
            bar.finish()
        engine.dispose()
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(summarise_zh(report))
    return 0
