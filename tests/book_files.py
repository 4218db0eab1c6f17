"""Real renewal-book files for importer tests: CSV in any encoding, XLSX written by openpyxl."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
from sqlalchemy import Engine, text

HEADER = [
    "车牌号", "被保险人", "手机号", "保单到期日", "上年保费", "出险次数", "续保年限",
    "车架号", "厂牌型号", "保险公司", "车损险保额", "车损险保费", "三者险保额", "三者险保费",
]  # fmt: skip
NOW = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)


class FixedClock:
    """A clock stopped at ``NOW`` (the importer only reads ``now``)."""

    def __init__(self, now: datetime = NOW) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return 0.0

    async def sleep(self, seconds: float) -> None:
        return None


def row(
    plate: str = "京A12345",
    name: str = "张伟",
    phone: object = "13812345678",
    expiry: object = "2026-02-15",
    premium: object = "3,210.50",
    claims: object = "0",
    tenure: object = "2",
    vin: str = "LSVAM4187C2184847",
    model: str = "大众朗逸 1.5L",
    insurer: str = "人保财险",
    damage: tuple[object, object] = ("120000", "1920.5"),
    third: tuple[object, object] = ("1000000", "830"),
) -> list[object]:
    """A good row under ``HEADER``; override a cell to make it bad."""
    return [
        plate,
        name,
        phone,
        expiry,
        premium,
        claims,
        tenure,
        vin,
        model,
        insurer,
        *damage,
        *third,
    ]


def numbered(count: int, *, start: int = 0) -> list[list[object]]:
    """``count`` distinct good rows (plates 京A10000.., phones 1381000000x..)."""
    return [
        row(plate=f"京A{10000 + i}", name=f"客户{i}", phone=f"138{10000000 + i}")
        for i in range(start, start + count)
    ]


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    blank_rows_above: int = 0,
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "续保清单"
    for _ in range(blank_rows_above):
        sheet.append([])
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    book.save(path)
    return path


def table_dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the book's tables, in key order: to compare a database before and after."""
    order = {"customers": "id", "vehicles": "id", "policies": "id", "leads": "id"}
    order["coverages"] = "policy_id, code"
    with engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY {key}"))]
            for t, key in order.items()
        }


def count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def break_sheet_after_row(path: Path, last_good_row: int) -> Path:
    """The same workbook with its sheet XML cut off mid-row after ``last_good_row``."""
    broken = path.with_name("broken-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                cut = data.index(f'<row r="{last_good_row + 1}"'.encode())
                data = data[:cut] + b'<row r="99"><c r="A99" t="s"><v>'
            target.writestr(item, data)
    return broken
