"""Benchmark: the floors under the book import — how fast could it be on this machine at best?

    python -m bench.import_floor [--rows 100000] [--runs 3] [--json]

The import's end-to-end rate (``bench.import_book``) is bounded by its stages. This measures
each stage stripped to the least work that any importer writing the same rows must do:

- ``read csv`` / ``read xlsx``: our readers alone, every row turned into cells (xlsx is
  python-calamine-plus streaming the sheet).
- ``validate``: reading plus the validator (no database).
- ``write``: raw ``sqlite3`` ``executemany`` of rows already validated and already shaped as
  tuples (ids given, dates as text, built before the clock starts) into a fresh SQLite file
  with the real schema, then the leads by ``INSERT ... SELECT`` and the commit. No SQLAlchemy,
  no look-ups, no Python per row beyond the driver's binding: what SQLite itself costs.
- ``write :memory:``: the same into an in-memory database (no file, no WAL): the B-tree work.

A single-writer import cannot beat ``rows / write`` whatever it does in Python; with the
reading and validating on the other core and free hand-over, it could reach at best
``rows / max(validate, write)``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.import_book import BOOKS, _book
from renewals.importer.chunkcheck import ChunkValidator
from renewals.importer.columns import has_required_columns, resolve_header
from renewals.importer.pipeline import validated_chunks
from renewals.importer.readers import open_book
from renewals.importer.validation import BookRow

NOW = "2026-01-01 00:00:00.000000"
CHUNK = 5000


def read_rows(book: Path) -> int:
    reader = open_book(book)
    try:
        return sum(1 for _ in reader.rows())
    finally:
        reader.close()


def validated(book: Path) -> list[BookRow]:
    reader = open_book(book, is_header=has_required_columns)
    try:
        validator = ChunkValidator(resolve_header(reader.header))
        rows: list[BookRow] = []
        for chunk in validated_chunks(reader, validator, chunk_rows=CHUNK):
            assert not chunk.rejected, chunk.rejected[:3]
            rows.extend(chunk.good)
        return rows
    finally:
        reader.close()


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def shaped(rows: list[BookRow]) -> list[tuple[str, str, list[tuple[Any, ...]]]]:
    """Per table: its INSERT and its rows as the driver takes them, ids 1..n."""
    customers = [
        (i, r.name, r.phone, r.region, "Asia/Shanghai", r.tenure, NOW, NOW)
        for i, r in enumerate(rows, start=1)
    ]
    vehicles = [
        (i, i, r.plate, r.vin, r.model, _iso(r.first_registration), r.seats)
        for i, r in enumerate(rows, start=1)
    ]
    policies = [
        (
            i,
            i,
            r.insurer,
            r.commercial_no,
            r.compulsory_no,
            _iso(r.start_date),
            r.end_date.isoformat(),
            r.commercial_premium,
            r.compulsory_premium,
            r.vessel_tax,
            r.claim_count,
            r.claim_amount,
        )
        for i, r in enumerate(rows, start=1)
    ]
    coverages = [
        (i, code, position, amount, premium)
        for i, r in enumerate(rows, start=1)
        for position, (code, amount, premium) in enumerate(r.coverages)
    ]
    return [
        ("customers", "id, name, phone, region, timezone, tenure_years, created_at, updated_at",
         customers),
        ("vehicles", "id, customer_id, plate, vin, model, first_registration, seats", vehicles),
        ("policies", "id, vehicle_id, insurer, commercial_policy_no, compulsory_policy_no, "
         "start_date, end_date, commercial_premium_cents, compulsory_premium_cents, "
         "vessel_tax_cents, claim_count, claim_amount_cents", policies),
        ("coverages", "policy_id, code, position, insured_amount_cents, premium_cents", coverages),
    ]  # fmt: skip


def schema_sql(workdir: Path) -> list[str]:
    """The CREATE statements of the real schema, as the migrations leave it on SQLite."""
    from config.db import create_db_engine
    from config.migrate import upgrade

    path = workdir / "schema.db"
    _remove(path)
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        # A virtual table's shadow tables (FTS5's) are made by its CREATE VIRTUAL TABLE.
        shadow = {row[1] for row in conn.execute("PRAGMA table_list") if row[2] == "shadow"}
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        sql = [s for (name, s) in rows if name not in shadow]
    _remove(path)
    return sql


def write(
    tables: list[tuple[str, str, list[tuple[Any, ...]]]], schema: list[str], target: str
) -> float:
    """Seconds to write ``tables`` (and one lead per policy) into a fresh ``target``, committed."""
    if target != ":memory:":
        _remove(Path(target))
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        if target != ":memory:":  # the pragmas config.db sets on every connection
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        for statement in schema:
            conn.execute(statement)
        started = time.perf_counter()
        conn.execute("BEGIN")
        for table, columns, rows in tables:
            marks = ", ".join("?" * (columns.count(",") + 1))
            conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        conn.execute(
            "INSERT INTO leads (policy_id, stage, status, attempts, contacts, notes, created_at,"
            " updated_at) SELECT id, 'listed', 'open', 0, 0, '', ?, ? FROM policies",
            (NOW, NOW),
        )
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        written = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
        assert written == len(tables[0][2]), (written, len(tables[0][2]))
        return elapsed
    finally:
        conn.close()


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _median_s(runs: int, work: Callable[[], object]) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(rows: int, runs: int, workdir: Path) -> dict[str, Any]:
    # As in the import itself (renewals.importer.service): the cyclic collector is paused.
    gc.disable()
    csv_book, xlsx_book = _book(rows, ".csv"), _book(rows, ".xlsx")
    good = validated(csv_book)
    assert len(good) == rows, (len(good), rows)
    tables = shaped(good)
    schema = schema_sql(workdir)
    target = str(workdir / "floor.db")
    stages = {
        "read csv": _median_s(runs, lambda: read_rows(csv_book)),
        "read xlsx": _median_s(runs, lambda: read_rows(xlsx_book)),
        "validate csv": _median_s(runs, lambda: validated(csv_book)),
        "validate xlsx": _median_s(runs, lambda: validated(xlsx_book)),
        "write": statistics.median(write(tables, schema, target) for _ in range(runs)),
        "write :memory:": statistics.median(write(tables, schema, ":memory:") for _ in range(runs)),
    }
    _remove(Path(target))
    db_rows = sum(len(t[2]) for t in tables) + rows  # + one lead per policy
    return {"rows": rows, "db_rows": db_rows, "runs": runs, "cpus": os.cpu_count(), "s": stages}


def lines(result: dict[str, Any]) -> Iterator[str]:
    rows, s = result["rows"], result["s"]
    yield (
        f"{rows:,} book rows ({result['db_rows']:,} database rows), median of {result['runs']} "
        f"runs, {result['cpus']} CPUs"
    )
    for name, seconds in s.items():
        yield f"  {name:<15} {seconds:6.3f} s  {rows / seconds:>10,.0f} rows/s"
    write = s["write"]
    yield "Upper bounds for the end-to-end import on SQLite (rows/s):"
    for fmt in ("csv", "xlsx"):
        check = s[f"validate {fmt}"]
        yield (
            f"  {fmt:<4}  one process {rows / (check + write):>8,.0f}   "
            f"two processes, free hand-over {rows / max(check, write):>8,.0f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="median of this many runs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    workdir = BOOKS / "work"
    workdir.mkdir(parents=True, exist_ok=True)
    result = measure(args.rows, args.runs, workdir)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print("\n".join(lines(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
