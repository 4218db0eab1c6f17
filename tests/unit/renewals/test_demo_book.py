import csv
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from renewals.demo_book import HEADER, generate_book, write_book
from renewals.importer.columns import resolve_header
from renewals.importer.parsers import parse_phone, parse_plate, parse_vin
from renewals.importer.validation import RowValidator

TODAY = date(2026, 1, 1)


def test_same_seed_same_book_and_another_seed_another() -> None:
    one = list(generate_book(leads=50, seed=3, today=TODAY))
    assert one == list(generate_book(leads=50, seed=3, today=TODAY))
    assert one != list(generate_book(leads=50, seed=4, today=TODAY))


def test_rows_are_valid_and_realistic() -> None:
    rows = list(generate_book(leads=2000, seed=1, today=TODAY))
    col = {name: i for i, name in enumerate(HEADER)}
    plates = [r[col["车牌号"]] for r in rows]
    assert len(set(plates)) == len(plates)
    for r in rows:
        assert parse_plate(r[col["车牌号"]]) == r[col["车牌号"]]
        assert parse_phone(r[col["手机号"]]) == r[col["手机号"]]
        assert parse_vin(r[col["车架号"]]) == r[col["车架号"]]
        assert TODAY <= r[col["保单到期日"]] < TODAY + timedelta(days=90)
        assert r[col["起保日期"]] < r[col["保单到期日"]]
        assert 2 <= len(r[col["被保险人"]]) <= 3
    provinces = Counter(p[0] for p in plates)
    assert {"京", "沪", "粤", "浙", "苏"} <= set(provinces)
    claims = Counter(r[col["出险次数"]] for r in rows)
    assert 0.6 < claims[0] / len(rows) < 0.8 and claims[2] > 0
    tenure = Counter(r[col["续保年限"]] for r in rows)
    assert 0.3 < tenure[1] / len(rows) < 0.5 and sum(v for k, v in tenure.items() if k >= 4) > 0
    assert sum(1 for p in plates if len(p) == 8) > 100  # new-energy plates
    expiries = Counter(r[col["保单到期日"]] for r in rows)
    assert len(expiries) == 90


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_written_book_validates_without_a_single_rejection(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"book{suffix}"
    assert write_book(path, leads=300, seed=9, today=TODAY) == 300
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            table = list(csv.reader(f))
    else:  # openpyxl is strict about the package structure: it must open our writer's file
        sheet = openpyxl.load_workbook(path, read_only=True).active
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0] == HEADER
    validator = RowValidator(resolve_header(table[0]))
    results = [validator.validate(n, r) for n, r in enumerate(table[1:], start=2)]
    assert [r for r in results if isinstance(r, list)] == []
    assert all(r.coverages for r in results)  # type: ignore[union-attr]
