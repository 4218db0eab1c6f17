"""The column-wise chunk validator gives exactly the per-row validator's verdicts."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from renewals.demo_book import HEADER as DEMO_HEADER
from renewals.importer.chunkcheck import ChunkValidator
from renewals.importer.columns import resolve_header
from renewals.importer.validation import BookRow, RowValidator
from tests.book_files import HEADER, row


def _per_row(header: list[object], rows: list[list[object]]) -> tuple[list[BookRow], list]:
    validator = RowValidator(resolve_header(header))
    good: list[BookRow] = []
    rejected: list = []
    for number, cells in enumerate(rows, start=2):
        result = validator.validate(number, cells)
        if isinstance(result, list):
            rejected.extend(result)
        else:
            good.append(result)
    return good, rejected


def _by_chunk(header: list[object], rows: list[list[object]]) -> tuple[list[BookRow], list]:
    good, problems = ChunkValidator(resolve_header(header)).validate(list(enumerate(rows, start=2)))
    return good, [r for n in sorted(problems) for r in problems[n]]


def _same_verdicts(header: list[object], rows: list[list[object]]) -> None:
    assert _by_chunk(header, rows) == _per_row(header, rows)


def test_clean_text_rows_take_the_fast_path_and_match() -> None:
    rows = [row(plate=f"京A{10000 + i}", phone=f"138{10000000 + i}") for i in range(50)]
    _same_verdicts(list(HEADER), rows)


@pytest.mark.parametrize(
    "messy",
    [
        {"plate": "京a·12345"},
        {"plate": "京Ａ １２３４５"},
        {"plate": "X12345"},
        {"plate": ""},
        {"name": "  "},
        {"name": " 张伟 "},
        {"name": "张" * 101},
        {"phone": "138 1234 5678"},
        {"phone": "+86 138-1234-5678"},
        {"phone": "12345"},
        {"expiry": "2026/1/5"},
        {"expiry": "2026年1月5日"},
        {"expiry": "2026-02-30"},
        {"expiry": 46000.0},
        {"expiry": date(2026, 3, 1)},
        {"expiry": datetime(2026, 3, 1, 8, 30)},
        {"expiry": ""},
        {"premium": "1,234.50"},
        {"premium": "￥1234.5"},
        {"premium": "12."},
        {"premium": 1234.567},
        {"premium": 1234.5},
        {"premium": -3.0},
        {"premium": "abc"},
        {"premium": ""},
        {"claims": "2次"},
        {"claims": 2.0},
        {"claims": 2.5},
        {"claims": "-1"},
        {"tenure": "３年"},
        {"vin": "lsvam4187c2184847"},
        {"vin": "SHORT"},
        {"vin": ""},
        {"damage": ("", "")},
        {"damage": ("0", "0")},
        {"damage": (120000.0, 1920.555)},
        {"third": ("bad", "830")},
        {"third": ("1000000", "")},
    ],
)
def test_a_messy_cell_among_clean_rows_gives_the_same_verdict(messy: dict[str, object]) -> None:
    rows = [row(plate=f"京A{10000 + i}", phone=f"138{10000000 + i}") for i in range(5)]
    rows.insert(2, row(**messy))  # type: ignore[arg-type]
    _same_verdicts(list(HEADER), rows)


def test_short_rows_read_missing_trailing_cells_as_blank() -> None:
    rows = [row(plate="京A10001")[:4], row(plate="京A10002")[:3], row(plate="京A10003")]
    _same_verdicts(list(HEADER), rows)


def test_typed_xlsx_cells_and_start_after_expiry_match() -> None:
    header: list[object] = list(DEMO_HEADER)
    good = [
        "沪D998AH", "谢博华", "13497054446", "上海", "本田雅阁", "MVKS50WA0MPPWTDT1",
        date(2020, 12, 21), 5.0, "太平洋产险", "CPIC1", "CPICZ1", date(2025, 1, 15),
        date(2026, 1, 15), 2957.98, 855.0, 480.0, 0.0, 0.0, 4.0,
        136800.0, 1921.88, 2000000.0, 904.39, 10000.0, 36.88, 40000.0, 94.83,
    ]  # fmt: skip
    late_start = list(good)
    late_start[0], late_start[11] = "沪D998AJ", date(2026, 2, 1)
    blank_seats = list(good)
    blank_seats[0], blank_seats[7], blank_seats[23] = "沪D998AK", "", ""
    _same_verdicts(header, [good, late_start, blank_seats])


def test_whole_number_cells_as_the_streaming_reader_gives_them_match() -> None:
    # python-calamine-plus gives a whole-number cell as int (python-calamine gave 5.0).
    header: list[object] = list(DEMO_HEADER)
    ints = [
        "沪D998AH", "谢博华", 13497054446, "上海", "本田雅阁", "MVKS50WA0MPPWTDT1",
        date(2020, 12, 21), 5, "太平洋产险", "CPIC1", "CPICZ1", date(2025, 1, 15),
        date(2026, 1, 15), 2957.98, 855, 480, 0, 0, 4,
        136800, 1921.88, 2000000, 904.39, 10000, 36.88, 40000, "",
    ]  # fmt: skip
    second = list(ints)
    second[0], second[7], second[14] = "沪D998AJ", 7.0, 855.5
    _same_verdicts(header, [ints, second])


def test_number_columns_take_the_fast_path_whatever_mix_of_int_and_float() -> None:
    from renewals.importer.columnar import fast_parser

    counts = fast_parser("count", required=False, default=0)
    assert counts([5, 0, 7.0]) == [5, 0, 7]
    assert counts([5, 2.5]) is None  # not whole: the per-cell parser words the reason
    assert counts([True, 1]) is None  # a boolean cell is not a count
    money = fast_parser("money", required=False, default=0)
    assert money([855, 2957.98, ""]) == [85500, 295798, 0]
    assert money(["855", "2957.98", ""]) == [85500, 295798, 0]  # CSV text: its own fast path
    assert money([10**12]) is None  # beyond a float's exact cents: cell by cell
    assert money([-5]) is None
