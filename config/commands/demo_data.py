"""``xubao demo-data --leads N [--out FILE] [--seed S]``: write a synthetic renewal book."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from config.commands._common import non_negative_int
from config.messages import Messages
from config.settings import Settings
from renewals.clock import SystemClock
from renewals.demo_book import write_book


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("demo-data", help="write a realistic synthetic renewal book")
    cmd.add_argument(
        "--leads", type=non_negative_int, required=True, help="how many policies (rows)"
    )
    cmd.add_argument(
        "--out",
        type=Path,
        default=None,
        help="CSV, or XLSX by extension (default var/demo-book.csv)",
    )
    cmd.add_argument("--seed", type=int, default=2026, help="same seed and day, same book")
    cmd.set_defaults(handler=run_demo_data)


def run_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    out: Path = args.out or settings.data_dir / "demo-book.csv"
    now: datetime = SystemClock().now()
    # Expiries are counted from today in the customers' time zone, as the renewal team sees it.
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    written = write_book(out, leads=args.leads, seed=args.seed, today=today)
    print(
        Messages(args.lang).text(
            "demo renewal book written: {file} ({rows} rows, expiring within 90 days of {today})",
            file=out,
            rows=f"{written:,}",
            today=today,
        )
    )
    return 0
