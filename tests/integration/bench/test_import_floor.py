"""The import floor benchmark writes exactly the book's rows into the migrated schema."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from bench import import_floor
from renewals.demo_book import write_book


def test_the_write_floor_stores_every_row_of_a_small_book(tmp_path: Path) -> None:
    book = tmp_path / "book.csv"
    write_book(book, leads=300, seed=7, today=date(2026, 1, 1))
    rows = import_floor.validated(book)
    tables = import_floor.shaped(rows)
    schema = import_floor.schema_sql(tmp_path)
    assert any("WITHOUT ROWID" in sql for sql in schema)  # the schema the migrations leave

    target = tmp_path / "floor.db"
    assert import_floor.write(tables, schema, str(target)) > 0
    with sqlite3.connect(target) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("customers", "vehicles", "policies", "coverages", "leads")
        }
        plates = {p for (p,) in conn.execute("SELECT plate FROM vehicles")}
    coverages = sum(len(r.coverages) for r in rows)
    assert len(rows) == 300
    assert counts == {
        "customers": 300,
        "vehicles": 300,
        "policies": 300,
        "coverages": coverages,
        "leads": 300,
    }
    assert plates == {r.plate for r in rows}


def test_the_report_names_each_stage_and_the_bounds() -> None:
    result = {
        "rows": 1000,
        "db_rows": 7000,
        "runs": 1,
        "cpus": 2,
        "s": {
            "read csv": 0.01,
            "read xlsx": 0.1,
            "validate csv": 0.02,
            "validate xlsx": 0.2,
            "write": 0.04,
            "write :memory:": 0.03,
        },
    }
    text = "\n".join(import_floor.lines(result))
    assert "validate xlsx" in text
    # one process: 1000 / (0.02 + 0.04); two processes: 1000 / max(0.02, 0.04)
    assert "one process   16,667" in text
    assert "free hand-over   25,000" in text
